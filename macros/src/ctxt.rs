//! Collects every mistake found in a trait, so that one build reports all of them (as
//! serde_derive's `Ctxt` does) instead of stopping at the first.

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The errors found so far. Parsing and validation push into it and carry on with
/// whatever they could make sense of.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    /// An error spanning `tokens` (the whole range, first to last token, on stable Rust).
    pub(crate) fn error_spanned_by(
        &mut self,
        tokens: impl ToTokens,
        message: impl std::fmt::Display,
    ) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error at one span.
    pub(crate) fn error_at(&mut self, span: proc_macro2::Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// An error syn produced while parsing an attribute.
    pub(crate) fn syn_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// How many errors were found so far: a reader compares counts to tell whether a part
    /// of the input had mistakes of its own.
    pub(crate) fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Whether nothing went wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every error as `compile_error!` invocations, in the order they were found.
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.errors
            .into_iter()
            .map(|error| error.to_compile_error())
            .collect()
    }
}
