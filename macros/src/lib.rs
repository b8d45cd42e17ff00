//! The `#[signed_api]` attribute of [signed-api](https://docs.rs/signed-api): a typed async
//! client from a trait. Use it through the `signed-api` crate, which documents it and
//! provides the runtime the generated code calls.
//!
//! The macro works in three stages, each in its module: [`parse`] reads the trait into a
//! typed [`model`] that keeps the syn nodes for spans, [`valid`] checks what needs a whole
//! method at once, and [`expand`] writes the client (or, after any error, the errors and a
//! stub). Errors are collected in a [`ctxt::Ctxt`] so that one build shows all of them.

mod attr;
mod ctxt;
mod expand;
mod model;
mod parse;
mod valid;

#[cfg(test)]
mod golden_tests;

/// Generates a typed async client from a trait; see the `signed-api` crate for the guide.
#[proc_macro_attribute]
pub fn signed_api(
    args: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand::expand(args.into(), item.into()).into()
}
