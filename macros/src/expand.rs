//! Stage three: the client of a valid trait. From the [model](crate::model) this writes
//! the trait back (without the macro's attributes), the [client and its
//! builder](crate::client), and the implementation of the trait whose methods build,
//! sign and send each request. The model has no holes, so neither has this.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use crate::client::{client_ident, client_types};
use crate::model::{Api, BodyKind, Decode, Endpoint, Marked, Output, OutputKind, QueryShape, Role};

/// The trait, the client and its builder, and the implementation.
pub(crate) fn expand(api: &Api) -> TokenStream {
    let item = &api.item;
    let trait_ident = &item.ident;
    let client = client_ident(item);
    let private = quote!(::signed_api::__private);
    let types = client_types(item, &api.scheme);
    let methods = api
        .endpoints
        .iter()
        .map(|endpoint| method(endpoint, &private));
    quote! {
        #[allow(async_fn_in_trait)]
        #item

        #types

        impl #trait_ident for #client {
            #(#methods)*
        }
    }
}

/// One method of the implementation: the request built from the parameters, sent, and the
/// answer read as the return type says.
fn method(endpoint: &Endpoint, private: &TokenStream) -> TokenStream {
    let sig = &endpoint.sig;
    let attrs = &endpoint.carried_attrs;
    let verb = Ident::new(endpoint.verb.constant(), endpoint.path_lit.span());
    let path = &endpoint.path_lit;
    let mut call = quote! { self.client.request(#private::Method::#verb, #path) };
    for param in &endpoint.params {
        let ident = &param.ident;
        // Spanned on the parameter, so that a missing `Display` or `Serialize` is reported
        // on the parameter's type.
        let span = param.ty.span();
        call = match &param.role {
            Role::Path => {
                let name = param.name();
                quote_spanned! {span=> #call.path_param(#name, #ident) }
            }
            Role::Marked(Marked::Query { name, shape }) => match shape {
                QueryShape::Single => quote_spanned! {span=> #call.query(#name, #ident) },
                QueryShape::Optional => quote_spanned! {span=> #call.query_opt(#name, #ident) },
                QueryShape::Repeated => quote_spanned! {span=> #call.query_all(#name, #ident) },
                QueryShape::OptionalRepeated => quote_spanned! {span=>
                    #call.query_all(
                        #name,
                        ::core::iter::Iterator::flatten(::core::iter::IntoIterator::into_iter(#ident)),
                    )
                },
            },
            Role::Marked(Marked::Header {
                name,
                optional: false,
            }) => {
                quote_spanned! {span=> #call.header(#name, #ident) }
            }
            Role::Marked(Marked::Header {
                name,
                optional: true,
            }) => {
                quote_spanned! {span=> #call.header_opt(#name, #ident) }
            }
            Role::Marked(Marked::Body(BodyKind::Json)) => {
                quote_spanned! {span=> #call.json_body(&#ident) }
            }
            Role::Marked(Marked::Body(BodyKind::Bytes)) => quote_spanned! {span=>
                #call.bytes_body(::core::convert::Into::<#private::Bytes>::into(#ident))
            },
            Role::Marked(Marked::Body(BodyKind::BorrowedBytes)) => quote_spanned! {span=>
                #call.bytes_body(#private::Bytes::copy_from_slice(
                    ::core::convert::AsRef::<[u8]>::as_ref(#ident),
                ))
            },
            Role::Marked(Marked::Form) => quote_spanned! {span=> #call.form(&#ident) },
        };
    }
    let options = &endpoint.options;
    if options.unsigned {
        call = quote! { #call.unsigned() };
    }
    if options.idempotent {
        call = quote! { #call.idempotent() };
    }
    if let Some(millis) = options.timeout_ms {
        call = quote! { #call.timeout(#private::Duration::from_millis(#millis)) };
    }
    let decode = options.decode.unwrap_or_default();
    let answer = read_answer(call, &endpoint.output, decode, private);
    quote! {
        #(#attrs)*
        #sig {
            #answer
        }
    }
}

fn read_answer(
    call: TokenStream,
    output: &Output,
    decode: Decode,
    private: &TokenStream,
) -> TokenStream {
    let read = match &output.kind {
        OutputKind::Unit => quote! { #call.empty().await },
        OutputKind::Bytes => quote! { #call.bytes().await },
        OutputKind::Text => quote! { #call.text().await },
        OutputKind::ResponseBytes => quote! { #call.send().await },
        OutputKind::ResponseText => quote! {
            #call.send().await.and_then(#private::Response::<#private::Bytes>::decode_text)
        },
        OutputKind::ResponseUnit => quote! {
            #call.send().await.map(|response| response.map(::core::mem::drop))
        },
        // No turbofish: the type comes from the signature, and the method's name carries the
        // type's span, so that a type that is not `DeserializeOwned` is reported once, there.
        OutputKind::ResponseJson(ty) => {
            let decode = match decode {
                Decode::Json => quote_spanned! {ty.span()=> .json_response() },
                Decode::Xml => quote_spanned! {ty.span()=> .xml_response() },
            };
            quote! { #call #decode.await }
        }
        OutputKind::Json(ty) => {
            let decode = match decode {
                Decode::Json => quote_spanned! {ty.span()=> .json() },
                Decode::Xml => quote_spanned! {ty.span()=> .xml() },
            };
            quote! { #call #decode.await }
        }
    };
    if output.converts_error {
        quote! { #read.map_err(::core::convert::Into::into) }
    } else {
        read
    }
}
