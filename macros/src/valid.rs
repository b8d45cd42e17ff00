//! Stage two: from the parsed tree to the [model](crate::model), or to nothing. This is
//! where the parts are checked against each other and against the macro's tables: the
//! scheme's name, every `{name}` of the path bound by a parameter and every parameter
//! given a role, at most one body, and no body on a GET or DELETE. Path parameters get
//! their role here.
//!
//! The model is returned only when the whole trait is free of mistakes, including those
//! [`parse`](crate::parse) found; otherwise the caller gets what the
//! [fallback](crate::fallback) needs. So expansion never sees a hole.

use syn::ItemTrait;

use crate::ast::{self, RoleAttr, SchemeArg};
use crate::ctxt::Ctxt;
use crate::model::{Api, Endpoint, Param, Role, Scheme, builtin_scheme_list};

/// A trait with mistakes (all in the [`Ctxt`]): what can still be emitted.
pub(crate) struct Rejected {
    /// The trait as written, minus this macro's attributes.
    pub(crate) item: ItemTrait,
    /// The scheme, when it could be read and resolved: the fallback then declares the real
    /// builder.
    pub(crate) scheme: Option<Scheme>,
}

/// Checks the parsed trait; the model when neither parsing nor this found a mistake.
pub(crate) fn validate(cx: &mut Ctxt, api: ast::Api) -> Result<Api, Box<Rejected>> {
    let scheme = api.scheme.and_then(|scheme| resolve_scheme(cx, scheme));
    let endpoints: Vec<Option<Endpoint>> = api
        .endpoints
        .into_iter()
        .map(|endpoint| validate_endpoint(cx, endpoint))
        .collect();
    match (scheme, endpoints.into_iter().collect::<Option<Vec<_>>>()) {
        (Some(scheme), Some(endpoints)) if cx.is_empty() => Ok(Api {
            scheme,
            item: api.item,
            endpoints,
        }),
        (scheme, _) => Err(Box::new(Rejected {
            item: api.item,
            scheme,
        })),
    }
}

/// A name is looked up in the table of built-in schemes; a path is left to the compiler.
fn resolve_scheme(cx: &mut Ctxt, scheme: SchemeArg) -> Option<Scheme> {
    match scheme {
        SchemeArg::Path(path) => Some(Scheme::Custom(path)),
        SchemeArg::Named(literal) => {
            let resolved = Scheme::builtin(&literal);
            if resolved.is_none() {
                cx.error_spanned_by(
                    &literal,
                    format!(
                        "unknown scheme {:?}; use {} or the path of a type that implements \
                         `signed_api::Scheme`",
                        literal.value(),
                        builtin_scheme_list()
                    ),
                );
            }
            resolved
        }
    }
}

/// Checks one endpoint; its model when it has no mistake of its own. Every check runs
/// whatever the others found, so that all of its mistakes are reported.
fn validate_endpoint(cx: &mut Ctxt, endpoint: ast::Endpoint) -> Option<Endpoint> {
    let placeholders = endpoint.placeholders.as_deref();
    let roles: Vec<Option<Role>> = endpoint
        .params
        .iter()
        .map(|param| assign_role(cx, param, placeholders))
        .collect();
    for placeholder in placeholders.unwrap_or_default() {
        let bound = endpoint
            .params
            .iter()
            .any(|param| param.name() == *placeholder);
        if !bound {
            cx.error_spanned_by(
                &endpoint.path_lit,
                format!(
                    "`{{{placeholder}}}` in the path has no parameter; add `{placeholder}: …` \
                     to `{}`",
                    endpoint.sig.ident
                ),
            );
        }
    }
    check_bodies(cx, &endpoint);
    let params = endpoint
        .params
        .into_iter()
        .zip(roles)
        .map(|(param, role)| {
            Some(Param {
                ident: param.ident,
                ty: param.ty,
                role: role?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Endpoint {
        sig: endpoint.sig,
        carried_attrs: endpoint.carried_attrs,
        verb: endpoint.verb,
        path_lit: endpoint.path_lit,
        options: endpoint.options,
        params,
        output: endpoint.output?,
    })
}

/// A parameter's definite role: the one its attribute gives, or `Path` when the path binds
/// it; `None` when it has none, or two. With an unreadable path (`placeholders` is `None`)
/// which parameters it binds is unknown: checking the binding would only repeat that one
/// mistake.
fn assign_role(cx: &mut Ctxt, param: &ast::Param, placeholders: Option<&[String]>) -> Option<Role> {
    let name = param.name();
    let in_path = placeholders.map(|placeholders| placeholders.contains(&name));
    match (&param.role, in_path) {
        (RoleAttr::Marked(marked, _), Some(false) | None) => Some(Role::Marked(marked.clone())),
        (RoleAttr::Marked(marked, attr), Some(true)) => {
            cx.error_spanned_by(
                attr,
                format!(
                    "`{name}` is bound by `{{{name}}}` in the path and also marked {}; remove \
                     one of the two",
                    marked.describe()
                ),
            );
            None
        }
        (RoleAttr::Absent, Some(true)) => Some(Role::Path),
        (RoleAttr::Absent, Some(false)) => {
            cx.error_spanned_by(
                &param.ident,
                format!(
                    "`{name}` has no role: bind it with `{{{name}}}` in the path, or mark it \
                     #[query], #[header(\"Name\")], #[body] or #[form]"
                ),
            );
            None
        }
        (RoleAttr::Absent, None) | (RoleAttr::Unreadable, _) => None,
    }
}

/// At most one body (`#[body]` or `#[form]`), and none on a verb that carries none.
fn check_bodies(cx: &mut Ctxt, endpoint: &ast::Endpoint) {
    let verb = endpoint.verb;
    let mut seen_body = false;
    for param in &endpoint.params {
        let RoleAttr::Marked(marked, attr) = &param.role else {
            continue;
        };
        if !marked.is_body() {
            continue;
        }
        if !verb.allows_body() {
            cx.error_spanned_by(
                attr,
                format!(
                    "a {} request has no body; send `{}` with #[query] or in the path, or use \
                     another verb",
                    verb.constant(),
                    param.ident
                ),
            );
        } else if seen_body {
            cx.error_spanned_by(
                attr,
                format!(
                    "a request has one body and `{}` would be a second; put both in one struct",
                    param.ident
                ),
            );
        }
        seen_body = true;
    }
}
