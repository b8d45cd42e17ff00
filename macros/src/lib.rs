//! The `#[signed_api]` attribute of [signed-api](https://docs.rs/signed-api): a typed async
//! client from a trait. Use it through the `signed-api` crate, which documents it and
//! provides the runtime the generated code calls.
//!
//! The macro works in stages, each in its module, in the shape of thiserror's:
//! `parse` reads the syntax into a tree (`ast`) that keeps the syn nodes for spans,
//! with `args` for the grammar of the macro's attributes and `lit` and `types` for
//! what literals and types say; `valid` checks how the parts fit and turns the tree into
//! a `model` that cannot express a mistake; `expand` writes the client from the model,
//! or, after any mistake, `fallback` writes the errors and a stand-in. Errors are
//! collected in a `ctxt::Ctxt` so that one build shows all of them.

mod args;
mod ast;
mod builder;
mod client;
mod ctxt;
mod expand;
mod fallback;
mod lit;
mod model;
mod parse;
mod types;
mod valid;

#[cfg(test)]
mod golden_tests;

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Generates a typed async client from a trait; see the `signed-api` crate for the guide.
#[proc_macro_attribute]
pub fn signed_api(
    args: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    signed_api_tokens(args.into(), item.into()).into()
}

/// The whole macro over `proc_macro2` token streams: `args` are the attribute's arguments,
/// `item` what it is attached to. Never panics; every problem becomes a compile error.
pub(crate) fn signed_api_tokens(args: TokenStream, item: TokenStream) -> TokenStream {
    let trait_item = match syn::parse2(item.clone()) {
        Ok(trait_item) => trait_item,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "#[signed_api] goes on a trait whose methods describe the API's endpoints",
            )
            .to_compile_error();
            return quote! { #error #item };
        }
    };
    let mut cx = ctxt::Ctxt::default();
    let parsed = parse::parse(&mut cx, args, trait_item);
    match valid::validate(&mut cx, parsed) {
        Ok(api) => expand::expand(&api),
        Err(rejected) => fallback::fallback(cx, &rejected),
    }
}
