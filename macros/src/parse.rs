//! Stage one: read the trait into its syntax tree ([`ast`](crate::ast)), with the syn
//! nodes kept for spans. This stage reads; it does not judge how the parts fit together
//! (that is [`valid`](crate::valid)). What it cannot read — a malformed attribute, a
//! signature the client cannot implement, an unsupported return type — is recorded in the
//! [`Ctxt`] and reading goes on, so that every mistake of the trait shows in one build. A
//! method whose verb or path could not be read is left out rather than guessed at, so that
//! validation does not report consequences of one mistake as further mistakes.

use proc_macro2::TokenStream;
use syn::{Attribute, FnArg, GenericParam, ItemTrait, Pat, Signature, TraitItem, TraitItemFn};

use crate::args::{self, ParamAttr, ParamAttrKind};
use crate::ast::{Api, Endpoint, Param, RoleAttr};
use crate::ctxt::Ctxt;
use crate::lit;
use crate::model::{Marked, Verb};
use crate::types;

/// Attributes the compiler accepts on a trait method. Any other single-word attribute on a
/// method that has no verb is taken for a misspelt verb (`#[gett]`), reported as such, and
/// removed so that the compiler does not report it a second time.
const BUILTIN_METHOD_ATTRS: [&str; 13] = [
    "doc",
    "cfg",
    "cfg_attr",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "deprecated",
    "must_use",
    "inline",
    "cold",
    "track_caller",
];

/// Reads the attribute arguments and the trait. Always returns a tree: the trait in it is
/// stripped of this macro's attributes whatever went wrong, so it can be emitted as it is.
pub(crate) fn parse(cx: &mut Ctxt, args: TokenStream, mut item: ItemTrait) -> Api {
    let (scheme, decode) = args::parse_api_args(cx, args);
    check_trait_header(cx, &item);
    let mut endpoints = Vec::new();
    for trait_item in &mut item.items {
        match trait_item {
            TraitItem::Fn(method) => {
                if let Some(endpoint) = parse_method(cx, method) {
                    endpoints.push(endpoint);
                }
            }
            TraitItem::Type(ty) if ty.default.is_none() => cx.error_spanned_by(
                &ty.ident,
                "a #[signed_api] trait describes endpoints; associated types are not supported",
            ),
            TraitItem::Const(constant) if constant.default.is_none() => cx.error_spanned_by(
                &constant.ident,
                "a #[signed_api] trait describes endpoints; give this constant a value",
            ),
            _ => {}
        }
    }
    // A method's own `decode` wins over the trait's.
    for endpoint in &mut endpoints {
        endpoint.options.decode = endpoint.options.decode.or(decode);
    }
    Api {
        scheme,
        item,
        endpoints,
    }
}

/// The trait itself: the generated client implements it, so it cannot be generic or unsafe.
fn check_trait_header(cx: &mut Ctxt, item: &ItemTrait) {
    if let Some(unsafety) = &item.unsafety {
        cx.error_spanned_by(unsafety, "a #[signed_api] trait cannot be `unsafe`");
    }
    if let Some(auto) = &item.auto_token {
        cx.error_spanned_by(auto, "a #[signed_api] trait cannot be an auto trait");
    }
    if !item.generics.params.is_empty() {
        cx.error_spanned_by(
            &item.generics,
            "a #[signed_api] trait cannot be generic: the generated client implements it once",
        );
    } else if let Some(where_clause) = &item.generics.where_clause {
        cx.error_spanned_by(
            where_clause,
            "a #[signed_api] trait cannot have a where clause",
        );
    }
}

/// Reads one method, removing this macro's attributes from it. Returns `None` for a method
/// with a default body and no verb (a helper the user wrote), and for one whose verb
/// attribute could not be read.
fn parse_method(cx: &mut Ctxt, method: &mut TraitItemFn) -> Option<Endpoint> {
    let verbs: Vec<(Verb, Attribute)> = method
        .attrs
        .iter()
        .filter_map(|attr| args::verb_of(attr).map(|verb| (verb, attr.clone())))
        .collect();
    method.attrs.retain(|attr| args::verb_of(attr).is_none());

    // Parameter attributes are read (and removed) whatever the verb says: their own
    // mistakes are worth reporting, and the stub must not carry them.
    let params = parse_params(cx, &mut method.sig);

    let Some((verb, verb_attr)) = verbs.first() else {
        if method.default.is_none() {
            report_missing_verb(cx, method);
        }
        return None;
    };
    for (_, extra) in verbs.iter().skip(1) {
        cx.error_spanned_by(
            extra,
            format!(
                "`{}` has two verbs; an endpoint method has exactly one",
                method.sig.ident
            ),
        );
    }
    if let Some(body) = &method.default {
        cx.error_at(
            body.brace_token.span.open(),
            "an endpoint method has no body: #[signed_api] writes it; end the declaration \
             with `;`",
        );
    }
    check_signature(cx, &method.sig);
    let output = types::parse_output(cx, &method.sig);
    let verb_attr = args::parse_verb_attr(cx, verb_attr)?;
    let placeholders = match lit::parse_path_template(&verb_attr.path.value()) {
        Ok(placeholders) => Some(placeholders),
        Err(why) => {
            cx.error_spanned_by(&verb_attr.path, why);
            None
        }
    };
    let carried_attrs = method
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc") || attr.path().is_ident("cfg"))
        .cloned()
        .collect();
    Some(Endpoint {
        sig: method.sig.clone(),
        carried_attrs,
        verb: *verb,
        path_lit: verb_attr.path,
        placeholders,
        options: verb_attr.options,
        params,
        output,
    })
}

/// A declaration without a verb: most likely a forgotten `#[get(…)]`, or a misspelt one.
fn report_missing_verb(cx: &mut Ctxt, method: &mut TraitItemFn) {
    let is_unknown = |attr: &Attribute| {
        attr.path()
            .get_ident()
            .is_some_and(|ident| !BUILTIN_METHOD_ATTRS.contains(&ident.to_string().as_str()))
    };
    if let Some(unknown) = method.attrs.iter().find(|attr| is_unknown(attr)) {
        let name = unknown
            .path()
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        cx.error_spanned_by(
            unknown.path(),
            format!(
                "unknown verb `{name}`; an endpoint is marked #[{}]",
                Verb::NAMES.join("], #[")
            ),
        );
        method.attrs.retain(|attr| !is_unknown(attr));
        return;
    }
    cx.error_spanned_by(
        &method.sig.ident,
        format!(
            "`{}` needs an HTTP verb: #[get(\"/path\")], #[post(…)], #[put(…)], #[patch(…)] \
             or #[delete(…)]",
            method.sig.ident
        ),
    );
}

/// The signature must be one the client can implement: `async`, `&self`, no type
/// parameters.
fn check_signature(cx: &mut Ctxt, sig: &Signature) {
    let name = &sig.ident;
    if sig.asyncness.is_none() {
        cx.error_spanned_by(
            sig.fn_token,
            format!("`{name}` must be an `async fn`: endpoint calls are asynchronous"),
        );
    }
    if let Some(constness) = &sig.constness {
        cx.error_spanned_by(constness, "an endpoint method cannot be `const`");
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_spanned_by(unsafety, "an endpoint method cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(abi, "an endpoint method cannot have an ABI");
    }
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned_by(variadic, "an endpoint method cannot be variadic");
    }
    let type_params = sig
        .generics
        .params
        .iter()
        .any(|param| !matches!(param, GenericParam::Lifetime(_)));
    if type_params {
        cx.error_spanned_by(
            &sig.generics,
            format!(
                "`{name}` cannot be generic: each parameter's role and each answer's type must \
                 be known to generate the call (lifetimes are fine)"
            ),
        );
    } else if let Some(where_clause) = &sig.generics.where_clause {
        cx.error_spanned_by(
            where_clause,
            "an endpoint method cannot have a where clause",
        );
    }
    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.reference.is_none() && receiver.colon_token.is_none() {
                cx.error_spanned_by(
                    receiver,
                    format!(
                        "`{name}` takes `self` by value; take `&self`: a client is shared and \
                         its calls borrow it"
                    ),
                );
            } else if receiver.reference.is_none() {
                cx.error_spanned_by(receiver, "write the receiver as `&self`");
            } else if receiver.mutability.is_some() {
                cx.error_spanned_by(
                    receiver,
                    format!("`{name}` takes `&mut self`; take `&self`: a client is shared"),
                );
            }
        }
        _ => cx.error_spanned_by(
            name,
            format!("`{name}` needs a `&self` receiver: async fn {name}(&self, …)"),
        ),
    }
}

/// Reads the parameters' names, types and roles, and removes the role attributes.
fn parse_params(cx: &mut Ctxt, sig: &mut Signature) -> Vec<Param> {
    let mut params = Vec::new();
    for input in &mut sig.inputs {
        let FnArg::Typed(typed) = input else {
            continue;
        };
        let mut role: Option<(ParamAttr, Attribute)> = None;
        // Set by a role attribute that could not be read, or by an unknown attribute (most
        // likely a misspelt role): the parameter is then not also reported as missing one.
        let mut unreadable = false;
        for attribute in &typed.attrs {
            match args::classify_param_attr(attribute) {
                ParamAttrKind::Builtin => {}
                ParamAttrKind::Unknown => {
                    cx.error_spanned_by(
                        attribute,
                        "unknown parameter attribute; a parameter is bound by `{name}` in the \
                         path or marked #[query], #[header(\"Name\")], #[body] or #[form]",
                    );
                    unreadable |= role.is_none();
                }
                ParamAttrKind::Ours(name) => match args::parse_param_attr(cx, attribute, name) {
                    Some(_) if role.is_some() => cx.error_spanned_by(
                        attribute,
                        "a parameter has one role; remove this attribute or the other",
                    ),
                    Some(parsed) => {
                        role = Some((parsed, attribute.clone()));
                        unreadable = false;
                    }
                    None => {
                        role = None;
                        unreadable = true;
                    }
                },
            }
        }
        typed.attrs.retain(|attribute| {
            matches!(args::classify_param_attr(attribute), ParamAttrKind::Builtin)
        });
        let ident = match &*typed.pat {
            Pat::Ident(pat)
                if pat.by_ref.is_none() && pat.mutability.is_none() && pat.subpat.is_none() =>
            {
                pat.ident.clone()
            }
            other => {
                cx.error_spanned_by(
                    other,
                    "an endpoint parameter is a plain name, as in `id: u64`",
                );
                continue;
            }
        };
        let role = match role {
            Some((parsed, attribute)) => {
                RoleAttr::Marked(marked(parsed, &typed.ty, &ident), Box::new(attribute))
            }
            None if unreadable => RoleAttr::Unreadable,
            None => RoleAttr::Absent,
        };
        params.push(Param {
            ident,
            ty: (*typed.ty).clone(),
            role,
        });
    }
    params
}

/// The role an attribute gives, completed from the parameter's name and type.
fn marked(parsed: ParamAttr, ty: &syn::Type, ident: &syn::Ident) -> Marked {
    match parsed {
        ParamAttr::Query { rename } => Marked::Query {
            name: rename.unwrap_or_else(|| syn::ext::IdentExt::unraw(ident).to_string()),
            shape: types::query_shape(ty),
        },
        ParamAttr::Header(name) => Marked::Header {
            name,
            optional: types::is_optional(ty),
        },
        ParamAttr::Body => Marked::Body(types::body_kind(ty)),
        ParamAttr::Form => Marked::Form,
    }
}
