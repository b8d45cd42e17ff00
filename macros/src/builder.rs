//! The builder's setters, listed once. The real builder ([`client`](crate::client)) and
//! the stand-in declared after a mistake ([`fallback`](crate::fallback)) are both written
//! from [`SETTERS`], so the stand-in always has the methods users call and code that
//! configures a client never adds errors of its own to the real mistake.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Visibility;

use crate::model::Scheme;

/// One setter of `<Trait>ClientBuilder`.
pub(crate) struct Setter {
    /// The method's name, and the name of the field it fills when it has one of its own.
    pub(crate) name: &'static str,
    /// The name of the method's argument.
    pub(crate) arg: &'static str,
    pub(crate) kind: Kind,
    /// The documentation, one string per `///` line (with its leading space).
    pub(crate) doc: Doc,
}

/// What a setter does, which decides what it takes and which builders have it.
pub(crate) enum Kind {
    /// `scheme(S)`: the scheme itself, configured by the caller.
    Scheme,
    /// `credentials(C)`: a built-in scheme with its default options. Built-in schemes only.
    Credentials,
    /// `endpoint(name)`: a named endpoint of a built-in scheme's API, resolved by `build`.
    /// Built-in schemes only.
    Endpoint,
    /// `base_url(url)`: the API's base URL; on a built-in scheme it replaces an endpoint.
    BaseUrl,
    /// A value kept until `build` hands it to the runtime builder's method of the same name.
    Forwarded(Value),
}

/// The type a [`Kind::Forwarded`] setter takes.
pub(crate) enum Value {
    /// Anything that converts into a `String`.
    IntoString,
    /// A type of the runtime, named under `__private`.
    Private(&'static str),
    /// `u64`.
    U64,
}

pub(crate) enum Doc {
    Same(&'static [&'static str]),
    /// Built-in and custom schemes get different words.
    ByScheme {
        builtin: &'static [&'static str],
        custom: &'static [&'static str],
    },
}

/// The setters, in the order the builder declares them.
pub(crate) const SETTERS: &[Setter] = &[
    Setter {
        name: "scheme",
        arg: "scheme",
        kind: Kind::Scheme,
        doc: Doc::Same(&[" The scheme requests are signed with, configured as you like."]),
    },
    Setter {
        name: "credentials",
        arg: "credentials",
        kind: Kind::Credentials,
        doc: Doc::Same(&[
            " The credentials requests are signed with, used with the scheme's",
            " default options ([`scheme`](Self::scheme) sets others).",
        ]),
    },
    Setter {
        name: "endpoint",
        arg: "name",
        kind: Kind::Endpoint,
        doc: Doc::Same(&[
            " A named endpoint of the API (`\"ovh-eu\"`, Qredo's `\"sandbox\"`, …),",
            " resolved by `build`; replaces an earlier [`base_url`](Self::base_url).",
        ]),
    },
    Setter {
        name: "base_url",
        arg: "base_url",
        kind: Kind::BaseUrl,
        doc: Doc::ByScheme {
            builtin: &[
                " The API's base URL (`https://eu.api.ovh.com/1.0`, or a local server in tests); \
                 replaces an earlier [`endpoint`](Self::endpoint).",
            ],
            custom: &[" The API's base URL (`https://api.example.com/v1`); required."],
        },
    },
    Setter {
        name: "http_client",
        arg: "http_client",
        kind: Kind::Forwarded(Value::Private("HttpClient")),
        doc: Doc::Same(&[
            " Reuses a `reqwest::Client`: its connection pool, proxy and TLS settings.",
        ]),
    },
    Setter {
        name: "timeout",
        arg: "timeout",
        kind: Kind::Forwarded(Value::Private("Duration")),
        doc: Doc::Same(&[
            " The time allowed for each attempt of a call (60 s unless set; an endpoint's",
            " `timeout = \"…\"` wins).",
        ]),
    },
    Setter {
        name: "user_agent",
        arg: "user_agent",
        kind: Kind::Forwarded(Value::IntoString),
        doc: Doc::Same(&[" The `User-Agent` header sent with every request."]),
    },
    Setter {
        name: "clock",
        arg: "clock",
        kind: Kind::Forwarded(Value::Private("Clock")),
        doc: Doc::Same(&[" The clock signatures are timed with (tests pin it)."]),
    },
    Setter {
        name: "retry",
        arg: "retry",
        kind: Kind::Forwarded(Value::Private("RetryPolicy")),
        doc: Doc::Same(&[
            " When failed calls are retried (idempotent calls, three attempts, unless set).",
        ]),
    },
    Setter {
        name: "max_response_body",
        arg: "bytes",
        kind: Kind::Forwarded(Value::U64),
        doc: Doc::Same(&[
            " The largest answer read, in bytes (16 MiB unless set); a larger one fails the",
            " call instead of filling memory.",
        ]),
    },
    Setter {
        name: "max_clock_offset",
        arg: "max",
        kind: Kind::Forwarded(Value::Private("Duration")),
        doc: Doc::Same(&[
            " How far the server's clock may be from the local one before its time is",
            " refused (a day unless set).",
        ]),
    },
];

fn private() -> TokenStream {
    quote!(::signed_api::__private)
}

fn into_string() -> TokenStream {
    let private = private();
    quote!(impl ::core::convert::Into<#private::String>)
}

impl Value {
    /// The type the setter takes.
    fn arg_type(&self) -> TokenStream {
        match self {
            Value::IntoString => into_string(),
            Value::Private(name) => {
                let private = private();
                let name = format_ident!("{}", name);
                quote!(#private::#name)
            }
            Value::U64 => quote!(u64),
        }
    }

    /// The type the builder keeps it as.
    fn field_type(&self) -> TokenStream {
        match self {
            Value::IntoString => {
                let private = private();
                quote!(#private::String)
            }
            Value::Private(_) | Value::U64 => self.arg_type(),
        }
    }
}

impl Setter {
    fn ident(&self) -> syn::Ident {
        format_ident!("{}", self.name)
    }

    fn arg_ident(&self) -> syn::Ident {
        format_ident!("{}", self.arg)
    }

    /// Whether the builder of a client with this scheme has the setter.
    fn applies_to(&self, scheme: &Scheme) -> bool {
        match self.kind {
            Kind::Credentials | Kind::Endpoint => matches!(scheme, Scheme::Builtin(_)),
            Kind::Scheme | Kind::BaseUrl | Kind::Forwarded(_) => true,
        }
    }

    fn doc(&self, scheme: &Scheme) -> TokenStream {
        let lines = match (&self.doc, scheme) {
            (Doc::Same(lines), _) => *lines,
            (Doc::ByScheme { builtin, .. }, Scheme::Builtin(_)) => *builtin,
            (Doc::ByScheme { custom, .. }, Scheme::Custom(_)) => *custom,
        };
        quote!(#(#[doc = #lines])*)
    }

    /// The setter of the real builder, for a client whose scheme type is `scheme_ty`.
    fn real(&self, vis: &Visibility, scheme: &Scheme, scheme_ty: &TokenStream) -> TokenStream {
        let private = private();
        let name = self.ident();
        let arg = self.arg_ident();
        let doc = self.doc(scheme);
        let (arg_type, body) = match &self.kind {
            Kind::Scheme => (
                scheme_ty.clone(),
                quote! { self.scheme = ::core::option::Option::Some(#arg); },
            ),
            Kind::Credentials => (
                quote!(<#scheme_ty as #private::CredentialScheme>::Credentials),
                quote! {
                    self.scheme = ::core::option::Option::Some(
                        <#scheme_ty as #private::CredentialScheme>::from_credentials(#arg),
                    );
                },
            ),
            Kind::Endpoint => (
                into_string(),
                quote! {
                    self.endpoint = ::core::option::Option::Some(#arg.into());
                    self.base_url = ::core::option::Option::None;
                },
            ),
            Kind::BaseUrl => {
                let clear_endpoint = match scheme {
                    Scheme::Builtin(_) => {
                        quote! { self.endpoint = ::core::option::Option::None; }
                    }
                    Scheme::Custom(_) => quote! {},
                };
                (
                    into_string(),
                    quote! {
                        self.base_url = ::core::option::Option::Some(#arg.into());
                        #clear_endpoint
                    },
                )
            }
            Kind::Forwarded(value) => {
                let stored = match value {
                    Value::IntoString => quote!(#arg.into()),
                    Value::Private(_) | Value::U64 => quote!(#arg),
                };
                (
                    value.arg_type(),
                    quote! { self.#name = ::core::option::Option::Some(#stored); },
                )
            }
        };
        quote! {
            #doc
            #vis fn #name(mut self, #arg: #arg_type) -> Self {
                #body
                self
            }
        }
    }

    /// The stand-in's setter: the same name and argument, and a type that accepts whatever
    /// the real one would (anything, where the real type depends on the unknown scheme).
    fn stub(&self, vis: &Visibility) -> TokenStream {
        let name = self.ident();
        let arg = self.arg_ident();
        let (generics, arg_type) = match &self.kind {
            Kind::Scheme => (quote!(<S>), quote!(S)),
            Kind::Credentials => (quote!(<C>), quote!(C)),
            Kind::Endpoint | Kind::BaseUrl => (quote!(), into_string()),
            Kind::Forwarded(value) => (quote!(), value.arg_type()),
        };
        quote! {
            #vis fn #name #generics(self, #arg: #arg_type) -> Self {
                self
            }
        }
    }
}

/// The setters of the real builder for `scheme`, in order.
pub(crate) fn real_setters(
    vis: &Visibility,
    scheme: &Scheme,
    scheme_ty: &TokenStream,
) -> TokenStream {
    SETTERS
        .iter()
        .filter(|setter| setter.applies_to(scheme))
        .map(|setter| setter.real(vis, scheme, scheme_ty))
        .collect()
}

/// Every setter of either kind of builder, as the stand-in declares them.
pub(crate) fn stub_setters(vis: &Visibility) -> TokenStream {
    SETTERS.iter().map(|setter| setter.stub(vis)).collect()
}

/// The [`Kind::Forwarded`] setters.
fn forwarded() -> impl Iterator<Item = (&'static Setter, &'static Value)> {
    SETTERS.iter().filter_map(|setter| match &setter.kind {
        Kind::Forwarded(value) => Some((setter, value)),
        _ => None,
    })
}

/// The builder's fields for the forwarded values.
pub(crate) fn forwarded_fields() -> TokenStream {
    forwarded()
        .map(|(setter, value)| {
            let name = setter.ident();
            let ty = value.field_type();
            quote! { #name: ::core::option::Option<#ty>, }
        })
        .collect()
}

/// Their initial values: all unset.
pub(crate) fn forwarded_inits() -> TokenStream {
    forwarded()
        .map(|(setter, _)| {
            let name = setter.ident();
            quote! { #name: ::core::option::Option::None, }
        })
        .collect()
}

/// In `build`: each value that was set, handed to the runtime's `ClientBuilder`, which is
/// in a local named `builder`.
pub(crate) fn forward_to_runtime() -> TokenStream {
    forwarded()
        .map(|(setter, _)| {
            let name = setter.ident();
            let arg = setter.arg_ident();
            quote! {
                if let ::core::option::Option::Some(#arg) = self.#name {
                    builder = builder.#name(#arg);
                }
            }
        })
        .collect()
}
