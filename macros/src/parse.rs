//! Stage one: read the trait into the typed [model](crate::model). Each problem is recorded
//! in the [`Ctxt`] and reading goes on, so that every mistake of the trait shows in one
//! build. A method whose verb or path could not be read is left out of the model rather
//! than guessed at, so that validation does not report consequences of one mistake as
//! further mistakes.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::{
    Attribute, FnArg, GenericArgument, GenericParam, ItemTrait, Pat, PathArguments, ReturnType,
    Signature, TraitItem, TraitItemFn, Type,
};

use crate::attr::{self, ParamAttr, ParamAttrKind};
use crate::ctxt::Ctxt;
use crate::model::{Api, Endpoint, Output, OutputKind, Param, QueryShape, Role, Verb};

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

/// Reads the attribute arguments and the trait. Always returns a model: the trait in it is
/// stripped of this macro's attributes whatever went wrong, so it can be emitted as a stub.
pub(crate) fn parse(cx: &mut Ctxt, args: TokenStream, mut item: ItemTrait) -> Api {
    let scheme = attr::parse_api_args(cx, args);
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
        .filter_map(|attr| attr::verb_of(attr).map(|verb| (verb, attr.clone())))
        .collect();
    method.attrs.retain(|attr| attr::verb_of(attr).is_none());

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
    let output = parse_output(cx, &method.sig);
    let verb_attr = attr::parse_verb_attr(cx, verb_attr, *verb)?;
    let placeholders = match attr::parse_path_template(&verb_attr.path.value()) {
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
        verb: verb_attr.verb,
        path_lit: verb_attr.path,
        placeholders,
        unsigned: verb_attr.unsigned,
        idempotent: verb_attr.idempotent,
        timeout_ms: verb_attr.timeout_ms,
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
        let mut role = None;
        let mut role_attr = None;
        for attribute in &typed.attrs {
            match attr::classify_param_attr(attribute) {
                ParamAttrKind::Builtin => {}
                ParamAttrKind::Unknown => {
                    cx.error_spanned_by(
                        attribute,
                        "unknown parameter attribute; a parameter is bound by `{name}` in the \
                         path or marked #[query], #[header(\"Name\")], #[body] or #[form]",
                    );
                    // Most likely a misspelt role: do not also report the role as missing.
                    role.get_or_insert(Role::Invalid);
                }
                ParamAttrKind::Ours => match attr::parse_param_attr(attribute) {
                    Ok(_)
                        if role
                            .as_ref()
                            .is_some_and(|role| !matches!(role, Role::Invalid)) =>
                    {
                        cx.error_spanned_by(
                            attribute,
                            "a parameter has one role; remove this attribute or the other",
                        )
                    }
                    Ok(parsed) => {
                        role = Some(role_of(parsed, &typed.ty, &typed.pat));
                        role_attr = Some(attribute.clone());
                    }
                    Err(error) => {
                        // Counted as having a role, so it is not also reported as missing one.
                        role = Some(Role::Invalid);
                        cx.syn_error(error);
                    }
                },
            }
        }
        typed.attrs.retain(|attribute| {
            matches!(attr::classify_param_attr(attribute), ParamAttrKind::Builtin)
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
        params.push(Param {
            ident,
            ty: (*typed.ty).clone(),
            role: role.unwrap_or(Role::Unassigned),
            role_attr,
        });
    }
    params
}

fn role_of(parsed: ParamAttr, ty: &Type, pat: &Pat) -> Role {
    match parsed {
        ParamAttr::Query { rename } => {
            let name = rename.unwrap_or_else(|| match pat {
                Pat::Ident(pat) => pat.ident.unraw().to_string(),
                _ => String::new(),
            });
            let shape = match option_inner(ty) {
                Some(inner) if is_repeated(inner) => QueryShape::OptionalRepeated,
                Some(_) => QueryShape::Optional,
                None if is_repeated(ty) => QueryShape::Repeated,
                None => QueryShape::Single,
            };
            Role::Query { name, shape }
        }
        ParamAttr::Header(name) => Role::Header {
            name,
            optional: option_inner(ty).is_some(),
        },
        ParamAttr::Body => Role::Body,
        ParamAttr::Form => Role::Form,
    }
}

/// The single type argument of a path type whose last segment is `name`.
fn single_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    let first = types.next()?;
    types.next().is_none().then_some(first)
}

fn option_inner(ty: &Type) -> Option<&Type> {
    single_arg(ty, "Option")
}

/// `Vec<T>`, `[T]`, `[T; N]`, or a reference to one: sent as one pair per element.
fn is_repeated(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => is_repeated(&reference.elem),
        Type::Slice(_) | Type::Array(_) => true,
        Type::Paren(paren) => is_repeated(&paren.elem),
        _ => single_arg(ty, "Vec").is_some(),
    }
}

/// Whether `ty` is a path type named `name` without arguments (`Bytes`, `String`).
fn is_plain(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|last| last.ident == name && last.arguments.is_none()))
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(tuple) if tuple.elems.is_empty())
}

/// Reads `-> Result<T>` (or `Result<T, E>` with `E: From<signed_api::Error>`).
fn parse_output(cx: &mut Ctxt, sig: &Signature) -> Option<Output> {
    const SUPPORTED: &str = "an endpoint returns `signed_api::Result<T>` where T is `()`, \
                             `Bytes`, `String`, `Response<T>` or a type that implements \
                             `serde::de::DeserializeOwned`";
    let ty = match &sig.output {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => {
            cx.error_spanned_by(
                &sig.ident,
                format!("`{}` has no return type; {SUPPORTED}", sig.ident),
            );
            return None;
        }
    };
    let result_args = match &**ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .filter(|last| last.ident == "Result")
            .and_then(|last| match &last.arguments {
                PathArguments::AngleBracketed(args) => Some(args),
                _ => None,
            }),
        _ => None,
    };
    let Some(result_args) = result_args else {
        cx.error_spanned_by(ty, format!("unsupported return type; {SUPPORTED}"));
        return None;
    };
    let types: Vec<&Type> = result_args
        .args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect();
    if types.is_empty() || types.len() > 2 || types.len() != result_args.args.len() {
        cx.error_spanned_by(ty, format!("unsupported return type; {SUPPORTED}"));
        return None;
    }
    let inner = types[0];
    let kind = if is_unit(inner) {
        OutputKind::Unit
    } else if is_plain(inner, "Bytes") {
        OutputKind::Bytes
    } else if is_plain(inner, "String") {
        OutputKind::Text
    } else if is_plain(inner, "Response") {
        OutputKind::ResponseBytes
    } else if let Some(body) = single_arg(inner, "Response") {
        if is_unit(body) {
            OutputKind::ResponseUnit
        } else if is_plain(body, "Bytes") {
            OutputKind::ResponseBytes
        } else if is_plain(body, "String") {
            OutputKind::ResponseText
        } else if is_owned(body) {
            OutputKind::ResponseJson(body.clone())
        } else {
            cx.error_spanned_by(body, format!("unsupported response body type; {SUPPORTED}"));
            return None;
        }
    } else if is_owned(inner) {
        OutputKind::Json(inner.clone())
    } else {
        cx.error_spanned_by(inner, format!("unsupported return type; {SUPPORTED}"));
        return None;
    };
    Some(Output {
        kind,
        converts_error: types.len() == 2,
    })
}

/// Types that can be decoded from an answer: not a borrow, not `impl Trait`, not unsized.
fn is_owned(ty: &Type) -> bool {
    match ty {
        Type::Path(_) | Type::Array(_) => true,
        Type::Tuple(tuple) => tuple.elems.iter().all(is_owned),
        Type::Paren(paren) => is_owned(&paren.elem),
        Type::Group(group) => is_owned(&group.elem),
        _ => false,
    }
}
