//! The typed model of an annotated trait. It keeps the syn nodes it was read from, so that
//! validation and expansion can point their errors and generated code at the user's tokens.

use syn::ext::IdentExt;
use syn::{Attribute, Ident, ItemTrait, LitStr, Path, Signature, Type};

/// A whole `#[signed_api]` trait.
pub(crate) struct Api {
    /// How requests are signed; `None` when the attribute did not say (already reported).
    pub(crate) scheme: Option<SchemeSpec>,
    /// The trait as the user wrote it, minus the attributes this macro consumes: this is
    /// what is emitted, so users can still implement it for a fake.
    pub(crate) item: ItemTrait,
    /// One entry per method that describes an HTTP call.
    pub(crate) endpoints: Vec<Endpoint>,
}

/// The `scheme = …` of the attribute.
pub(crate) enum SchemeSpec {
    /// One of the four schemes shipped by the runtime, named by a string.
    Builtin(Builtin, LitStr),
    /// A user type that implements the runtime's `Scheme` trait.
    Custom(Path),
}

/// The built-in schemes, by the names `scheme = "…"` accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Builtin {
    Nops,
    Ovh,
    Qredo,
    Armor,
}

impl Builtin {
    pub(crate) const NAMES: &'static str = r#""nops", "ovh", "qredo" or "armor""#;

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "nops" => Some(Builtin::Nops),
            "ovh" => Some(Builtin::Ovh),
            "qredo" => Some(Builtin::Qredo),
            "armor" => Some(Builtin::Armor),
            _ => None,
        }
    }

    /// The runtime type of the scheme, under `schemes`.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Builtin::Nops => "NopsScheme",
            Builtin::Ovh => "OvhScheme",
            Builtin::Qredo => "QredoScheme",
            Builtin::Armor => "ArmorScheme",
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

/// A method that describes one HTTP call.
pub(crate) struct Endpoint {
    /// The signature as written, minus this macro's parameter attributes: the generated
    /// implementation repeats it exactly.
    pub(crate) sig: Signature,
    /// Attributes carried to the implementation (docs, `cfg`).
    pub(crate) carried_attrs: Vec<Attribute>,
    pub(crate) verb: Verb,
    /// The path template literal, for spans.
    pub(crate) path_lit: LitStr,
    /// The `{name}` placeholders of the path, in order; `None` when the path is invalid
    /// (reported), so that which parameters it binds is unknown.
    pub(crate) placeholders: Option<Vec<String>>,
    pub(crate) unsigned: bool,
    pub(crate) idempotent: bool,
    /// The per-call time limit in milliseconds, parsed from `timeout = "…"`.
    pub(crate) timeout_ms: Option<u64>,
    pub(crate) params: Vec<Param>,
    /// What the call returns; `None` when the return type is unsupported (reported).
    pub(crate) output: Option<Output>,
}

/// One parameter of an endpoint method (not the receiver).
pub(crate) struct Param {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// The role given by an attribute; path parameters get theirs during validation.
    pub(crate) role: Role,
    /// The attribute that gave the role, for errors about it.
    pub(crate) role_attr: Option<Attribute>,
}

impl Param {
    /// The parameter's name without any `r#`: what `{name}` in the path binds.
    pub(crate) fn name(&self) -> String {
        self.ident.unraw().to_string()
    }
}

/// How a parameter goes into the request.
pub(crate) enum Role {
    /// No attribute: it must be bound by a `{name}` of the path.
    Unassigned,
    /// Given by an attribute that could not be read (already reported).
    Invalid,
    /// Bound by `{name}` in the path.
    Path,
    /// `#[query]` or `#[query(rename = "…")]`.
    Query { name: String, shape: QueryShape },
    /// `#[header("Name")]`; an `Option` is left out when `None`.
    Header { name: LitStr, optional: bool },
    /// `#[body]`: serialised once as JSON.
    Body,
    /// `#[form]`: an `application/x-www-form-urlencoded` body.
    Form,
}

impl Role {
    pub(crate) fn is_body(&self) -> bool {
        matches!(self, Role::Body | Role::Form)
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Role::Unassigned | Role::Invalid | Role::Path => "a path parameter",
            Role::Query { .. } => "#[query]",
            Role::Header { .. } => "#[header]",
            Role::Body => "#[body]",
            Role::Form => "#[form]",
        }
    }
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
