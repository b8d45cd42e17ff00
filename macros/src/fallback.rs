//! What is emitted when the trait has mistakes: the errors, the trait as written (without
//! the macro's attributes), and a client that implements it with bodies that are never
//! run. Code that uses the trait or configures and calls the client then compiles, and
//! the user sees only the real mistakes, not a cascade of "cannot find type `ApiClient`".
//!
//! When the scheme could be read the client types are the real ones. Without a scheme
//! there is no real builder to declare; the stand-in has the real builders' setters (from
//! the [same list](crate::builder::SETTERS)), each taking whatever the real one would.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ItemTrait, TraitItem};

use crate::builder;
use crate::client::{builder_ident, client_ident, client_types};
use crate::ctxt::Ctxt;
use crate::valid::Rejected;

pub(crate) fn fallback(cx: Ctxt, rejected: &Rejected) -> TokenStream {
    let errors = cx.into_compile_errors();
    let item = &rejected.item;
    let trait_ident = &item.ident;
    let client = client_ident(item);
    let types = match &rejected.scheme {
        Some(scheme) => client_types(item, scheme),
        None => stand_in_types(item),
    };
    // A generic trait cannot be implemented as it stands: that is one of the errors.
    let implementation = item.generics.params.is_empty().then(|| {
        let methods = item.items.iter().filter_map(|trait_item| match trait_item {
            TraitItem::Fn(method) if method.default.is_none() => {
                let sig = &method.sig;
                Some(quote! {
                    #sig {
                        ::core::unimplemented!("#[signed_api] reported errors")
                    }
                })
            }
            _ => None,
        });
        quote! {
            #[allow(unused_variables, clippy::unused_async)]
            impl #trait_ident for #client {
                #(#methods)*
            }
        }
    });
    quote! {
        #errors
        #[allow(async_fn_in_trait)]
        #item
        #types
        #implementation
    }
}

/// A client and a builder with the real ones' methods, for a trait whose scheme is
/// unknown.
fn stand_in_types(item: &ItemTrait) -> TokenStream {
    let vis = &item.vis;
    let trait_ident = &item.ident;
    let client = client_ident(item);
    let builder = builder_ident(item);
    let private = quote!(::signed_api::__private);
    let doc = format!("The client of [`{trait_ident}`] (not generated: see the errors).");
    let unimplemented = quote!(::core::unimplemented!("#[signed_api] reported errors"));
    let setters = builder::stub_setters(vis);
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        #[derive(Clone, Debug)]
        #vis struct #client;

        #[allow(dead_code, unused_variables, missing_docs)]
        impl #client {
            #vis fn builder() -> #builder {
                #builder
            }
            #vis fn from_client(client: #private::Client) -> Self {
                #client
            }
            #vis fn client(&self) -> &#private::Client {
                #unimplemented
            }
        }

        #[allow(dead_code, missing_docs)]
        #[derive(Debug)]
        #vis struct #builder;

        #[allow(dead_code, unused_variables, missing_docs)]
        impl #builder {
            #setters
            #vis fn build(self) -> #private::Result<#client> {
                #unimplemented
            }
        }
    }
}
