//! Stage two: the checks that need a whole method at once — every `{name}` of the path
//! bound by a parameter and every parameter given a role, at most one body, and no body on
//! a GET or DELETE. Path parameters get their role here.

use crate::ctxt::Ctxt;
use crate::model::{Api, Endpoint, Role};

pub(crate) fn validate(cx: &mut Ctxt, api: &mut Api) {
    for endpoint in &mut api.endpoints {
        validate_endpoint(cx, endpoint);
    }
}

fn validate_endpoint(cx: &mut Ctxt, endpoint: &mut Endpoint) {
    // With an unreadable path, which parameters it binds is unknown: checking the binding
    // would only repeat that one mistake.
    if let Some(placeholders) = &endpoint.placeholders {
        for param in &mut endpoint.params {
            let name = param.name();
            let in_path = placeholders.contains(&name);
            match (&param.role, in_path) {
                (Role::Unassigned, true) => param.role = Role::Path,
                (Role::Unassigned, false) => cx.error_spanned_by(
                    &param.ident,
                    format!(
                        "`{name}` has no role: bind it with `{{{name}}}` in the path, or mark it \
                         #[query], #[header(\"Name\")], #[body] or #[form]"
                    ),
                ),
                (Role::Invalid, _) => {}
                (role, true) => cx.error_spanned_by(
                    &param.role_attr,
                    format!(
                        "`{name}` is bound by `{{{name}}}` in the path and also marked {}; \
                         remove one of the two",
                        role.describe()
                    ),
                ),
                (_, false) => {}
            }
        }
        for placeholder in placeholders {
            let bound = endpoint
                .params
                .iter()
                .any(|param| param.name() == *placeholder);
            if !bound {
                cx.error_spanned_by(
                    &endpoint.path_lit,
                    format!(
                        "`{{{placeholder}}}` in the path has no parameter; add \
                         `{placeholder}: …` to `{}`",
                        endpoint.sig.ident
                    ),
                );
            }
        }
    }

    let verb = endpoint.verb;
    let mut seen_body = false;
    for param in endpoint.params.iter().filter(|param| param.role.is_body()) {
        if !verb.allows_body() {
            cx.error_spanned_by(
                &param.role_attr,
                format!(
                    "a {} request has no body; send `{}` with #[query] or in the path, or use \
                     another verb",
                    verb.constant(),
                    param.ident
                ),
            );
        } else if seen_body {
            cx.error_spanned_by(
                &param.role_attr,
                format!(
                    "a request has one body and `{}` would be a second; put both in one struct",
                    param.ident
                ),
            );
        }
        seen_body = true;
    }
}
