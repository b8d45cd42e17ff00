//! The parsed trait: what [`parse`](crate::parse) read, before any check that needs more
//! than one token at a time. It may have holes where something could not be read (the
//! mistake is already in the [`Ctxt`](crate::ctxt::Ctxt)); [`valid`](crate::valid) fills
//! or refuses them, so that the holes never reach expansion.

use syn::ext::IdentExt;
use syn::{Attribute, Ident, ItemTrait, LitStr, Path, Signature, Type};

use crate::model::{CallOptions, Marked, Output, Verb};

/// A `#[signed_api]` trait as read.
pub(crate) struct Api {
    /// The `scheme = …` argument; `None` when it was missing or unreadable (reported).
    pub(crate) scheme: Option<SchemeArg>,
    /// The trait, stripped of this macro's attributes whatever went wrong, so that it can
    /// be emitted as it is, real client or not.
    pub(crate) item: ItemTrait,
    /// The methods whose verb attribute could be read.
    pub(crate) endpoints: Vec<Endpoint>,
}

/// What `scheme = …` says, before the name is looked up.
pub(crate) enum SchemeArg {
    /// `scheme = "ovh"`.
    Named(LitStr),
    /// `scheme = path::To::Type`.
    Path(Path),
}

/// A method marked with a verb.
pub(crate) struct Endpoint {
    pub(crate) sig: Signature,
    /// Attributes carried to the implementation (docs, `cfg`).
    pub(crate) carried_attrs: Vec<Attribute>,
    pub(crate) verb: Verb,
    pub(crate) path_lit: LitStr,
    /// The `{name}` placeholders of the path, in order; `None` when the path is invalid
    /// (reported), so that which parameters it binds is unknown.
    pub(crate) placeholders: Option<Vec<String>>,
    pub(crate) options: CallOptions,
    pub(crate) params: Vec<Param>,
    /// What the call returns; `None` when the return type is unsupported (reported).
    pub(crate) output: Option<Output>,
}

/// One parameter (not the receiver).
pub(crate) struct Param {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) role: RoleAttr,
}

impl Param {
    /// The parameter's name without any `r#`: what `{name}` in the path binds.
    pub(crate) fn name(&self) -> String {
        self.ident.unraw().to_string()
    }
}

/// What the parameter's attributes say about its role.
pub(crate) enum RoleAttr {
    /// No role attribute: the path must bind the parameter.
    Absent,
    /// A role attribute that could not be read, or an unknown attribute that was most
    /// likely a misspelt role (reported): the parameter counts as having a role, so that
    /// it is not also reported as missing one.
    Unreadable,
    /// A role attribute, and the attribute itself for errors about it.
    Marked(Marked, Box<Attribute>),
}
