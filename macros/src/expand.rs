//! Stage three: the client. From a valid model this writes the trait back (without the
//! macro's attributes), a `<Trait>Client` that implements it, and the client's builder.
//! From an invalid one it writes the errors and a stub (the trait and an empty client
//! type), so that code using them does not add errors of its own to the real ones.
//!
//! Generated code names the runtime only through `::signed_api::__private`, so the
//! runtime's layout can change without breaking expanded code.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Ident, ItemTrait, LitStr, TraitItem};

use crate::ctxt::Ctxt;
use crate::model::{Api, Endpoint, Output, OutputKind, QueryShape, Role, SchemeSpec};
use crate::{parse, valid};

/// The whole macro over `proc_macro2` token streams: `args` are the attribute's arguments,
/// `item` what it is attached to. Never panics; every problem becomes a compile error.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let item: ItemTrait = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "#[signed_api] goes on a trait whose methods describe the API's endpoints",
            );
            let error = error.to_compile_error();
            return quote! { #error #item };
        }
    };
    let mut cx = Ctxt::default();
    let mut api = parse::parse(&mut cx, args, item);
    valid::validate(&mut cx, &mut api);
    match (&api.scheme, cx.is_empty()) {
        (Some(scheme), true) => generated(&api, scheme),
        _ => stub(&api, cx),
    }
}

/// The trait, the client and its builder, and the implementation.
fn generated(api: &Api, scheme: &SchemeSpec) -> TokenStream {
    let item = &api.item;
    let trait_ident = &item.ident;
    let client = client_ident(item);
    let private = quote!(::signed_api::__private);
    let types = client_types(api, scheme);
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

/// The errors, the trait as written, and a client that implements it with bodies that are
/// never run: code that uses the client or the trait then compiles, and the user sees only
/// the real mistakes. The builder is the real one when the scheme could be read.
fn stub(api: &Api, cx: Ctxt) -> TokenStream {
    let errors = cx.into_compile_errors();
    let item = &api.item;
    let trait_ident = &item.ident;
    let client = client_ident(item);
    let types = match &api.scheme {
        Some(scheme) => client_types(api, scheme),
        None => stub_types(item),
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

/// Without a usable scheme there is no real builder to write; this one has the real
/// builder's methods, taking anything, so that the code that configures the client adds no
/// errors of its own to the scheme's.
fn stub_types(item: &ItemTrait) -> TokenStream {
    let vis = &item.vis;
    let trait_ident = &item.ident;
    let client = client_ident(item);
    let builder = format_ident!("{}Builder", client);
    let private = quote!(::signed_api::__private);
    let doc = format!("The client of [`{trait_ident}`] (not generated: see the errors).");
    let unimplemented = quote!(::core::unimplemented!("#[signed_api] reported errors"));
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
            #vis fn scheme<S>(self, scheme: S) -> Self {
                self
            }
            #vis fn credentials<C>(self, credentials: C) -> Self {
                self
            }
            #vis fn endpoint(self, name: impl ::core::convert::Into<#private::String>) -> Self {
                self
            }
            #vis fn base_url(self, base_url: impl ::core::convert::Into<#private::String>) -> Self {
                self
            }
            #vis fn http_client(self, http_client: #private::HttpClient) -> Self {
                self
            }
            #vis fn timeout(self, timeout: #private::Duration) -> Self {
                self
            }
            #vis fn user_agent(self, user_agent: impl ::core::convert::Into<#private::String>) -> Self {
                self
            }
            #vis fn clock(self, clock: #private::Clock) -> Self {
                self
            }
            #vis fn retry(self, retry: #private::RetryPolicy) -> Self {
                self
            }
            #vis fn max_response_body(self, bytes: u64) -> Self {
                self
            }
            #vis fn max_clock_offset(self, max: #private::Duration) -> Self {
                self
            }
            #vis fn build(self) -> #private::Result<#client> {
                #unimplemented
            }
        }
    }
}

fn client_ident(item: &ItemTrait) -> Ident {
    format_ident!("{}Client", item.ident)
}

fn docs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("doc"))
}

/// The client struct and its builder.
fn client_types(api: &Api, scheme: &SchemeSpec) -> TokenStream {
    let item = &api.item;
    let vis = &item.vis;
    let trait_ident = &item.ident;
    let client = client_ident(item);
    let builder = format_ident!("{}Builder", client);
    let private = quote!(::signed_api::__private);

    let scheme_ty = match scheme {
        SchemeSpec::Builtin(builtin, literal) => {
            let name = Ident::new(builtin.type_name(), literal.span());
            quote!(#private::#name)
        }
        SchemeSpec::Custom(path) => quote!(#path),
    };
    let trait_docs = docs(&item.attrs);
    let client_doc = format!(
        " A client of [`{trait_ident}`], generated by `#[signed_api]`: each method signs its \
         request and calls the endpoint. Cheap to clone; clones share the connection pool and \
         the clock. Made with [`{client}::builder`]."
    );
    let builder_doc = format!(" The builder of [`{client}`], made by [`{client}::builder`].");
    let builder_fn_doc = match scheme {
        SchemeSpec::Builtin(..) => {
            " Starts configuring a client: give it [`credentials`](BUILDER::credentials), \
             then optionally an [`endpoint`](BUILDER::endpoint) or a \
             [`base_url`](BUILDER::base_url) (the vendor's production API by default)."
        }
        SchemeSpec::Custom(_) => {
            " Starts configuring a client: give it a [`scheme`](BUILDER::scheme) and a \
             [`base_url`](BUILDER::base_url)."
        }
    }
    .replace("BUILDER", &builder.to_string());

    let (builtin_fields, builtin_init, builtin_methods, build_scheme, build_base) = match scheme {
        SchemeSpec::Builtin(_, literal) => {
            let missing = LitStr::new(
                &format!("no credentials for {client}: call .credentials(…) or .scheme(…)"),
                literal.span(),
            );
            (
                quote! { endpoint: ::core::option::Option<#private::String>, },
                quote! { endpoint: ::core::option::Option::None, },
                quote! {
                    /// The credentials requests are signed with, used with the scheme's
                    /// default options ([`scheme`](Self::scheme) sets others).
                    #vis fn credentials(
                        mut self,
                        credentials: <#scheme_ty as #private::CredentialScheme>::Credentials,
                    ) -> Self {
                        self.scheme = ::core::option::Option::Some(
                            <#scheme_ty as #private::CredentialScheme>::from_credentials(credentials),
                        );
                        self
                    }

                    /// A named endpoint of the API (`"ovh-eu"`, Qredo's `"sandbox"`, …),
                    /// resolved by `build`; replaces an earlier [`base_url`](Self::base_url).
                    #vis fn endpoint(mut self, name: impl ::core::convert::Into<#private::String>) -> Self {
                        self.endpoint = ::core::option::Option::Some(name.into());
                        self.base_url = ::core::option::Option::None;
                        self
                    }
                },
                quote! {
                    let scheme = match self.scheme {
                        ::core::option::Option::Some(scheme) => scheme,
                        ::core::option::Option::None => {
                            return ::core::result::Result::Err(#private::Error::Config(
                                #private::String::from(#missing),
                            ));
                        }
                    };
                },
                quote! {
                    let base_url = match (self.base_url, self.endpoint) {
                        (::core::option::Option::Some(base_url), _) => base_url,
                        (::core::option::Option::None, ::core::option::Option::Some(name)) => {
                            <#scheme_ty as #private::CredentialScheme>::endpoint_url(&name)?
                        }
                        (::core::option::Option::None, ::core::option::Option::None) => {
                            #private::String::from(
                                <#scheme_ty as #private::CredentialScheme>::default_base_url(),
                            )
                        }
                    };
                    let mut builder = #private::Client::builder(scheme).base_url(base_url);
                },
            )
        }
        SchemeSpec::Custom(path) => {
            let missing = LitStr::new(
                &format!("no scheme for {client}: call .scheme(…)"),
                path.span(),
            );
            (
                quote! {},
                quote! {},
                quote! {},
                quote! {
                    let scheme = match self.scheme {
                        ::core::option::Option::Some(scheme) => scheme,
                        ::core::option::Option::None => {
                            return ::core::result::Result::Err(#private::Error::Config(
                                #private::String::from(#missing),
                            ));
                        }
                    };
                },
                {
                    // The argument is a block spanned on the path, so that a type that is
                    // not a `Scheme` is reported there rather than on the whole attribute.
                    // Only the braces take that span: the local variable inside keeps the
                    // macro's, and resolves even when the path comes from another macro.
                    let local = quote!(scheme);
                    let argument = quote_spanned! {path.span()=> { #local } };
                    quote! {
                        #[allow(unused_braces)]
                        let mut builder = #private::Client::builder(#argument);
                        if let ::core::option::Option::Some(base_url) = self.base_url {
                            builder = builder.base_url(base_url);
                        }
                    }
                },
            )
        }
    };
    let clear_endpoint = match scheme {
        SchemeSpec::Builtin(..) => quote! { self.endpoint = ::core::option::Option::None; },
        SchemeSpec::Custom(_) => quote! {},
    };
    let base_url_doc = match scheme {
        SchemeSpec::Builtin(..) => {
            " The API's base URL (`https://eu.api.ovh.com/1.0`, or a local server in tests); \
             replaces an earlier [`endpoint`](Self::endpoint)."
        }
        SchemeSpec::Custom(_) => " The API's base URL (`https://api.example.com/v1`); required.",
    };

    quote! {
        #(#trait_docs)*
        #[doc = ""]
        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        #vis struct #client {
            client: #private::Client,
        }

        #[allow(dead_code)]
        impl #client {
            #[doc = #builder_fn_doc]
            #vis fn builder() -> #builder {
                #builder {
                    scheme: ::core::option::Option::None,
                    base_url: ::core::option::Option::None,
                    #builtin_init
                    http_client: ::core::option::Option::None,
                    timeout: ::core::option::Option::None,
                    user_agent: ::core::option::Option::None,
                    clock: ::core::option::Option::None,
                    retry: ::core::option::Option::None,
                    max_response_body: ::core::option::Option::None,
                    max_clock_offset: ::core::option::Option::None,
                }
            }

            /// Wraps a runtime client that is already configured (scheme, base URL, clock).
            #vis fn from_client(client: #private::Client) -> Self {
                Self { client }
            }

            /// The runtime client underneath, for calls the trait does not describe.
            #vis fn client(&self) -> &#private::Client {
                &self.client
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug)]
        #[must_use = "a builder does nothing until `build` is called"]
        #vis struct #builder {
            scheme: ::core::option::Option<#scheme_ty>,
            base_url: ::core::option::Option<#private::String>,
            #builtin_fields
            http_client: ::core::option::Option<#private::HttpClient>,
            timeout: ::core::option::Option<#private::Duration>,
            user_agent: ::core::option::Option<#private::String>,
            clock: ::core::option::Option<#private::Clock>,
            retry: ::core::option::Option<#private::RetryPolicy>,
            max_response_body: ::core::option::Option<u64>,
            max_clock_offset: ::core::option::Option<#private::Duration>,
        }

        #[allow(dead_code)]
        impl #builder {
            /// The scheme requests are signed with, configured as you like.
            #vis fn scheme(mut self, scheme: #scheme_ty) -> Self {
                self.scheme = ::core::option::Option::Some(scheme);
                self
            }

            #builtin_methods

            #[doc = #base_url_doc]
            #vis fn base_url(mut self, base_url: impl ::core::convert::Into<#private::String>) -> Self {
                self.base_url = ::core::option::Option::Some(base_url.into());
                #clear_endpoint
                self
            }

            /// Reuses a `reqwest::Client`: its connection pool, proxy and TLS settings.
            #vis fn http_client(mut self, http_client: #private::HttpClient) -> Self {
                self.http_client = ::core::option::Option::Some(http_client);
                self
            }

            /// The time allowed for each attempt of a call (60 s unless set; an endpoint's
            /// `timeout = "…"` wins).
            #vis fn timeout(mut self, timeout: #private::Duration) -> Self {
                self.timeout = ::core::option::Option::Some(timeout);
                self
            }

            /// The `User-Agent` header sent with every request.
            #vis fn user_agent(mut self, user_agent: impl ::core::convert::Into<#private::String>) -> Self {
                self.user_agent = ::core::option::Option::Some(user_agent.into());
                self
            }

            /// The clock signatures are timed with (tests pin it).
            #vis fn clock(mut self, clock: #private::Clock) -> Self {
                self.clock = ::core::option::Option::Some(clock);
                self
            }

            /// When failed calls are retried (idempotent calls, three attempts, unless set).
            #vis fn retry(mut self, retry: #private::RetryPolicy) -> Self {
                self.retry = ::core::option::Option::Some(retry);
                self
            }

            /// The largest answer read, in bytes (16 MiB unless set); a larger one fails the
            /// call instead of filling memory.
            #vis fn max_response_body(mut self, bytes: u64) -> Self {
                self.max_response_body = ::core::option::Option::Some(bytes);
                self
            }

            /// How far the server's clock may be from the local one before its time is
            /// refused (a day unless set).
            #vis fn max_clock_offset(mut self, max: #private::Duration) -> Self {
                self.max_clock_offset = ::core::option::Option::Some(max);
                self
            }

            /// Checks the configuration and makes the client.
            #vis fn build(self) -> #private::Result<#client> {
                #build_scheme
                #build_base
                if let ::core::option::Option::Some(http_client) = self.http_client {
                    builder = builder.http_client(http_client);
                }
                if let ::core::option::Option::Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let ::core::option::Option::Some(user_agent) = self.user_agent {
                    builder = builder.user_agent(user_agent);
                }
                if let ::core::option::Option::Some(clock) = self.clock {
                    builder = builder.clock(clock);
                }
                if let ::core::option::Option::Some(retry) = self.retry {
                    builder = builder.retry(retry);
                }
                if let ::core::option::Option::Some(bytes) = self.max_response_body {
                    builder = builder.max_response_body(bytes);
                }
                if let ::core::option::Option::Some(max) = self.max_clock_offset {
                    builder = builder.max_clock_offset(max);
                }
                ::core::result::Result::Ok(#client { client: builder.build()? })
            }
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
        let name = param.name();
        // Spanned on the parameter, so that a missing `Display` or `Serialize` is reported
        // on the parameter's type.
        let span = param.ty.span();
        call = match &param.role {
            Role::Path => quote_spanned! {span=> #call.path_param(#name, #ident) },
            Role::Query { name, shape } => match shape {
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
            Role::Header {
                name,
                optional: false,
            } => {
                quote_spanned! {span=> #call.header(#name, #ident) }
            }
            Role::Header {
                name,
                optional: true,
            } => {
                quote_spanned! {span=> #call.header_opt(#name, #ident) }
            }
            Role::Body => quote_spanned! {span=> #call.json_body(&#ident) },
            Role::Form => quote_spanned! {span=> #call.form(&#ident) },
            // Not reached: validation leaves no unassigned or invalid role in a valid model.
            Role::Unassigned | Role::Invalid => call,
        };
    }
    if endpoint.unsigned {
        call = quote! { #call.unsigned() };
    }
    if endpoint.idempotent {
        call = quote! { #call.idempotent() };
    }
    if let Some(millis) = endpoint.timeout_ms {
        call = quote! { #call.timeout(#private::Duration::from_millis(#millis)) };
    }
    let answer = match &endpoint.output {
        Some(output) => read_answer(call, output, private),
        // Not reached: an unsupported return type is an error, and errors get a stub.
        None => quote! { ::core::unimplemented!() },
    };
    quote! {
        #(#attrs)*
        #sig {
            #answer
        }
    }
}

fn read_answer(call: TokenStream, output: &Output, private: &TokenStream) -> TokenStream {
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
            let decode = quote_spanned! {ty.span()=> .json_response() };
            quote! { #call #decode.await }
        }
        OutputKind::Json(ty) => {
            let decode = quote_spanned! {ty.span()=> .json() };
            quote! { #call #decode.await }
        }
    };
    if output.converts_error {
        quote! { #read.map_err(::core::convert::Into::into) }
    } else {
        read
    }
}
