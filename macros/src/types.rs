//! What a type in a signature means to the macro, read from its syntax alone (the macro
//! cannot resolve names): whether a parameter is optional or repeated, and which of the
//! supported answers a return type is.

use syn::{GenericArgument, PathArguments, ReturnType, Signature, Type};

use crate::ctxt::Ctxt;
use crate::model::{BodyKind, Output, OutputKind, QueryShape};

/// How a `#[query]` parameter of type `ty` becomes pairs.
pub(crate) fn query_shape(ty: &Type) -> QueryShape {
    match option_inner(ty) {
        Some(inner) if is_repeated(inner) => QueryShape::OptionalRepeated,
        Some(_) => QueryShape::Optional,
        None if is_repeated(ty) => QueryShape::Repeated,
        None => QueryShape::Single,
    }
}

/// What a `#[body]` of type `ty` is: bytes sent as they are (`Bytes`, `Vec<u8>`, `&[u8]`,
/// or a reference to one), or anything else, serialised as JSON.
pub(crate) fn body_kind(ty: &Type) -> BodyKind {
    let is_bytes = |ty: &Type| {
        is_plain(ty, "Bytes")
            || single_arg(ty, "Vec").is_some_and(|inner| is_plain(inner, "u8"))
            || matches!(ty, Type::Slice(slice) if is_plain(&slice.elem, "u8"))
    };
    match ty {
        Type::Reference(reference) if is_bytes(&reference.elem) => BodyKind::BorrowedBytes,
        Type::Paren(paren) => body_kind(&paren.elem),
        _ if is_bytes(ty) => BodyKind::Bytes,
        _ => BodyKind::Json,
    }
}

/// Whether `ty` is an `Option`, left out of the request when `None`.
pub(crate) fn is_optional(ty: &Type) -> bool {
    option_inner(ty).is_some()
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
pub(crate) fn parse_output(cx: &mut Ctxt, sig: &Signature) -> Option<Output> {
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
