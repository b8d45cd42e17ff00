//! The validated model of an annotated trait: what [`valid`](crate::valid) hands to
//! [`expand`](crate::expand). Its types cannot say "unknown" or "invalid": every parameter
//! has one definite role and every endpoint one definite answer, so expansion has no case
//! to skip. The syn nodes it keeps are there for spans and to repeat the user's tokens.
//!
//! The vocabulary shared with the parsed tree ([`ast`](crate::ast)) lives here too: the
//! verbs, the shapes of query parameters and of answers, and the table of built-in schemes.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Attribute, Ident, ItemTrait, LitStr, Path, Signature, Type};

/// The schemes shipped by the runtime, by the names `scheme = "…"` accepts. The name is
/// also the module of `::signed_api::__private::builtin` that holds the scheme as
/// `Scheme`, so a new built-in scheme needs its name here and its module there, nothing
/// else in the macro.
pub(crate) const BUILTIN_SCHEMES: &[&str] = &["nops", "ovh", "qredo", "armor", "sigv4"];

/// The built-in names for messages: `"nops", "ovh", "qredo", "armor" or "sigv4"`.
pub(crate) fn builtin_scheme_list() -> String {
    let quoted: Vec<String> = BUILTIN_SCHEMES
        .iter()
        .map(|name| format!("{name:?}"))
        .collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A whole `#[signed_api]` trait with nothing wrong in it.
pub(crate) struct Api {
    /// How requests are signed.
    pub(crate) scheme: Scheme,
    /// The trait as the user wrote it, minus the attributes this macro consumes: this is
    /// what is emitted, so users can still implement it for a fake.
    pub(crate) item: ItemTrait,
    /// One entry per method that describes an HTTP call.
    pub(crate) endpoints: Vec<Endpoint>,
}

/// The scheme of a client, once its name is known to be one of [`BUILTIN_SCHEMES`] (or it
/// is a path, which the compiler checks).
pub(crate) enum Scheme {
    /// A built-in scheme: the module under `__private::builtin`, spanned on the string
    /// literal that named it.
    Builtin(Ident),
    /// A user type that implements the runtime's `Scheme` trait.
    Custom(Path),
}

impl Scheme {
    /// Resolves `scheme = "name"`; `None` when the name is not in [`BUILTIN_SCHEMES`].
    pub(crate) fn builtin(literal: &LitStr) -> Option<Self> {
        let name = literal.value();
        BUILTIN_SCHEMES
            .contains(&name.as_str())
            .then(|| Scheme::Builtin(Ident::new(&name, literal.span())))
    }

    /// Where errors about the scheme's type point.
    pub(crate) fn span(&self) -> Span {
        match self {
            Scheme::Builtin(module) => module.span(),
            Scheme::Custom(path) => syn::spanned::Spanned::span(path),
        }
    }
}

/// The HTTP verbs a method can be marked with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    pub(crate) const NAMES: [&'static str; 5] = ["get", "post", "put", "patch", "delete"];

    pub(crate) fn from_ident(ident: &Ident) -> Option<Self> {
        match ident.to_string().as_str() {
            "get" => Some(Verb::Get),
            "post" => Some(Verb::Post),
            "put" => Some(Verb::Put),
            "patch" => Some(Verb::Patch),
            "delete" => Some(Verb::Delete),
            _ => None,
        }
    }

    /// The name of the `http::Method` constant.
    pub(crate) fn constant(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }

    /// GET and DELETE carry no body: servers and proxies may drop one.
    pub(crate) fn allows_body(self) -> bool {
        !matches!(self, Verb::Get | Verb::Delete)
    }
}

/// The options after a verb's path: `unsigned`, `idempotent`, `timeout = "5s"`,
/// `decode = "xml"`.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct CallOptions {
    pub(crate) unsigned: bool,
    pub(crate) idempotent: bool,
    /// The per-call time limit in milliseconds.
    pub(crate) timeout_ms: Option<u64>,
    /// How a typed answer is decoded; `None` until the trait's choice (or JSON) fills it.
    pub(crate) decode: Option<Decode>,
}

/// How a typed answer (`Result<T>`, `Result<Response<T>>`) is decoded: `decode = "json"`
/// (the default) or `decode = "xml"`, on the trait or one method.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub(crate) enum Decode {
    #[default]
    Json,
    Xml,
}

impl Decode {
    /// Reads the literal's value; `None` for anything but `json` and `xml`.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "json" => Some(Decode::Json),
            "xml" => Some(Decode::Xml),
            _ => None,
        }
    }
}

/// A method that describes one HTTP call.
pub(crate) struct Endpoint {
    /// The signature as written, minus this macro's parameter attributes: the generated
    /// implementation repeats it exactly.
    pub(crate) sig: Signature,
    /// Attributes carried to the implementation (docs, `cfg`).
    pub(crate) carried_attrs: Vec<Attribute>,
    pub(crate) verb: Verb,
    /// The path template literal, checked, passed to the runtime as written.
    pub(crate) path_lit: LitStr,
    pub(crate) options: CallOptions,
    pub(crate) params: Vec<Param>,
    pub(crate) output: Output,
}

/// One parameter of an endpoint method (not the receiver).
pub(crate) struct Param {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) role: Role,
}

impl Param {
    /// The parameter's name without any `r#`: what `{name}` in the path binds.
    pub(crate) fn name(&self) -> String {
        self.ident.unraw().to_string()
    }
}

/// How a parameter goes into the request.
pub(crate) enum Role {
    /// Bound by `{name}` in the path.
    Path,
    /// Given by an attribute.
    Marked(Marked),
}

/// The roles an attribute gives: `#[query]`, `#[header("…")]`, `#[body]`, `#[form]`.
#[derive(Clone)]
pub(crate) enum Marked {
    /// `#[query]` or `#[query(rename = "…")]`.
    Query { name: String, shape: QueryShape },
    /// `#[header("Name")]`; an `Option` is left out when `None`.
    Header { name: LitStr, optional: bool },
    /// `#[body]`: serialised once as JSON, or sent as it is when the type is bytes.
    Body(BodyKind),
    /// `#[form]`: an `application/x-www-form-urlencoded` body.
    Form,
}

impl Marked {
    pub(crate) fn is_body(&self) -> bool {
        matches!(self, Marked::Body(_) | Marked::Form)
    }

    /// The attribute, as messages name it.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Marked::Query { .. } => "#[query]",
            Marked::Header { .. } => "#[header]",
            Marked::Body(_) => "#[body]",
            Marked::Form => "#[form]",
        }
    }
}

/// What a `#[body]` parameter's type makes of it, read from the type's syntax.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BodyKind {
    /// Any `Serialize` type: JSON.
    Json,
    /// `Bytes` or `Vec<u8>`: the bytes as they are, moved into the request.
    Bytes,
    /// `&[u8]` (or `&Vec<u8>`, `&Bytes`): the bytes as they are, copied once.
    BorrowedBytes,
}

/// How a query parameter's value becomes `name=value` pairs, read from its type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum QueryShape {
    /// One pair.
    Single,
    /// `Option<T>`: one pair, or none when `None`.
    Optional,
    /// `Vec<T>`, `&[T]`, `[T; N]`: one pair per element.
    Repeated,
    /// `Option<Vec<T>>` and the like: one pair per element, none when `None`.
    OptionalRepeated,
}

/// What an endpoint returns, read from `Result<…>`.
pub(crate) struct Output {
    pub(crate) kind: OutputKind,
    /// `Result<T, E>` with an explicit error type: the runtime's error is converted with
    /// `Into`.
    pub(crate) converts_error: bool,
}

pub(crate) enum OutputKind {
    /// `Result<()>`: any 2xx, body ignored.
    Unit,
    /// `Result<Bytes>`.
    Bytes,
    /// `Result<String>`: the body as UTF-8 text.
    Text,
    /// `Result<Response<Bytes>>` (or a bare `Response`).
    ResponseBytes,
    /// `Result<Response<String>>`.
    ResponseText,
    /// `Result<Response<()>>`.
    ResponseUnit,
    /// `Result<Response<T>>`: decoded JSON with status and headers.
    ResponseJson(Type),
    /// `Result<T>`: decoded JSON.
    Json(Type),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_name_is_a_module_name() {
        for name in BUILTIN_SCHEMES {
            let ident: Ident = syn::parse_str(name).expect("a plain identifier");
            assert_eq!(ident, name);
        }
    }

    #[test]
    fn builtin_names_read_as_a_list() {
        assert_eq!(
            builtin_scheme_list(),
            r#""nops", "ovh", "qredo", "armor" or "sigv4""#
        );
    }
}
