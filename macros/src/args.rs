//! The grammar of the macro's own attributes: `#[signed_api(scheme = …)]`, the verb
//! attributes (`#[get("/path", unsigned, timeout = "5s", idempotent)]`) and the parameter
//! roles (`#[query]`, `#[query(rename = "…")]`, `#[header("Name")]`, `#[body]`, `#[form]`).
//!
//! Each argument is one type with an `impl Parse`, its keywords made with
//! `syn::custom_keyword!`. A list of arguments is read one argument at a time: a malformed
//! argument is reported to the [`Ctxt`] and skipped up to the next comma, and an argument
//! given twice is reported by [`Once::set`], so that every mistake of an attribute shows in
//! one build while the arguments that could be read still count.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Ident, LitStr, Meta, Token};

use crate::ast::SchemeArg;
use crate::ctxt::Ctxt;
use crate::lit;
use crate::model::Decode;
use crate::model::{CallOptions, Verb, builtin_scheme_list};

/// The words the arguments are made of.
mod kw {
    syn::custom_keyword!(scheme);
    syn::custom_keyword!(unsigned);
    syn::custom_keyword!(idempotent);
    syn::custom_keyword!(timeout);
    syn::custom_keyword!(rename);
    syn::custom_keyword!(decode);
}

/// An argument that may be given once: the first value counts, and each further one is
/// reported where its key is (serde_derive's `Attr::set`).
struct Once<T> {
    name: &'static str,
    value: Option<T>,
}

impl<T> Once<T> {
    fn new(name: &'static str) -> Self {
        Once { name, value: None }
    }

    fn set(&mut self, cx: &mut Ctxt, key: impl ToTokens, value: T) {
        if self.value.is_some() {
            cx.error_spanned_by(key, format!("`{}` is given twice", self.name));
        } else {
            self.value = Some(value);
        }
    }

    fn get(self) -> Option<T> {
        self.value
    }
}

/// Reads what is left of `input` as comma-separated `T`s (a trailing comma is fine). A
/// malformed one is reported and skipped, and reading goes on after the next comma.
fn parse_each<T: Parse>(cx: &mut Ctxt, input: ParseStream<'_>) -> Vec<T> {
    let mut items = Vec::new();
    while !input.is_empty() {
        match input.parse::<T>() {
            Ok(item) => {
                items.push(item);
                if !input.is_empty() {
                    if let Err(error) = input.parse::<Token![,]>() {
                        cx.syn_error(error);
                        skip_past_comma(input);
                    }
                }
            }
            Err(error) => {
                cx.syn_error(error);
                skip_past_comma(input);
            }
        }
    }
    items
}

/// Consumes tokens up to and including the next comma at this level (or to the end).
fn skip_past_comma(input: ParseStream<'_>) {
    let skipped = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            rest = next;
            if matches!(&tree, TokenTree::Punct(punct) if punct.as_char() == ',') {
                break;
            }
        }
        Ok(((), rest))
    });
    // `step` only fails when its closure does, and this one does not.
    debug_assert!(skipped.is_ok());
}

/// The arguments of `#[signed_api(…)]`.
enum ApiArg {
    /// `scheme = "ovh"` or `scheme = path::To::Type`.
    Scheme(kw::scheme, SchemeArg),
    /// `decode = "xml"`: how every method's typed answer is decoded.
    Decode(kw::decode, Decode),
}

impl Parse for ApiArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(kw::scheme) {
            let key = input.parse::<kw::scheme>()?;
            input.parse::<Token![=]>()?;
            Ok(ApiArg::Scheme(key, input.parse()?))
        } else if input.peek(kw::decode) {
            let key = input.parse::<kw::decode>()?;
            Ok(ApiArg::Decode(key, parse_decode(input)?))
        } else {
            let key = input.call(Ident::parse_any)?;
            Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown argument `{key}`; #[signed_api] takes `scheme = …` and \
                     `decode = \"json\"` or `\"xml\"`"
                ),
            ))
        }
    }
}

/// `= "json"` or `= "xml"`, after the `decode` keyword.
fn parse_decode(input: ParseStream<'_>) -> syn::Result<Decode> {
    input.parse::<Token![=]>()?;
    let literal: LitStr = input.parse()?;
    Decode::from_name(&literal.value()).ok_or_else(|| {
        syn::Error::new(
            literal.span(),
            format!(
                "unknown decoding {:?}; use \"json\" (the default) or \"xml\" (with \
                 signed-api's `xml` feature)",
                literal.value()
            ),
        )
    })
}

impl Parse for SchemeArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            Ok(SchemeArg::Named(input.parse()?))
        } else if input.peek(Ident) || input.peek(Token![::]) || input.peek(Token![crate]) {
            Ok(SchemeArg::Path(input.parse()?))
        } else {
            Err(input.error(format!(
                "expected {} or the path of a type that implements `signed_api::Scheme`",
                builtin_scheme_list()
            )))
        }
    }
}

/// Reads the arguments of `#[signed_api(…)]`; `None` when there is no usable scheme
/// (reported: missing, or malformed).
pub(crate) fn parse_api_args(
    cx: &mut Ctxt,
    args: TokenStream,
) -> (Option<SchemeArg>, Option<Decode>) {
    let errors_before = cx.error_count();
    let mut scheme = Once::new("scheme");
    let mut decode = Once::new("decode");
    let parsed = (|input: ParseStream<'_>| Ok(parse_each::<ApiArg>(cx, input))).parse2(args);
    match parsed {
        Ok(args) => {
            for arg in args {
                match arg {
                    ApiArg::Scheme(key, value) => scheme.set(cx, key, value),
                    ApiArg::Decode(key, value) => decode.set(cx, key, value),
                }
            }
        }
        // Every token is consumed, so syn has nothing to complain about; kept for safety.
        Err(error) => cx.syn_error(error),
    }
    let scheme = scheme.get();
    // A malformed argument may have been the scheme: saying it is missing too would only
    // repeat that mistake.
    if scheme.is_none() && cx.error_count() == errors_before {
        // The call site of an attribute macro is the attribute itself.
        cx.error_at(
            proc_macro2::Span::call_site(),
            format!(
                "#[signed_api] needs a scheme: #[signed_api(scheme = \"ovh\")], with {} or the \
                 path of a type that implements `signed_api::Scheme`",
                builtin_scheme_list()
            ),
        );
    }
    (scheme, decode.get())
}

/// What a verb attribute says.
pub(crate) struct VerbAttr {
    pub(crate) path: LitStr,
    pub(crate) options: CallOptions,
}

/// Whether `attr` is one of the verb attributes.
pub(crate) fn verb_of(attr: &Attribute) -> Option<Verb> {
    attr.path().get_ident().and_then(Verb::from_ident)
}

/// The first argument of a verb attribute: the path template.
struct PathArg(LitStr);

impl Parse for PathArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.parse().map(PathArg).map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected the path as a string literal: \"/resource/{id}\"",
            )
        })
    }
}

/// The options after the path of a verb attribute.
enum CallOption {
    Unsigned(kw::unsigned),
    Idempotent(kw::idempotent),
    /// `timeout = "5s"`, in milliseconds.
    Timeout(kw::timeout, u64),
    /// `decode = "xml"`.
    Decode(kw::decode, Decode),
}

impl Parse for CallOption {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(kw::unsigned) {
            Ok(CallOption::Unsigned(input.parse()?))
        } else if input.peek(kw::idempotent) {
            Ok(CallOption::Idempotent(input.parse()?))
        } else if input.peek(kw::timeout) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            let literal: LitStr = input.parse()?;
            let millis = lit::parse_timeout(&literal.value())
                .map_err(|why| syn::Error::new(literal.span(), why))?;
            Ok(CallOption::Timeout(key, millis))
        } else if input.peek(kw::decode) {
            let key = input.parse()?;
            Ok(CallOption::Decode(key, parse_decode(input)?))
        } else {
            let key = input.call(Ident::parse_any)?;
            Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown option `{key}`; expected `unsigned`, `idempotent`, \
                     `timeout = \"5s\"` or `decode = \"xml\"`"
                ),
            ))
        }
    }
}

/// Reads `#[verb("/path", options…)]`. Returns `None` when the path could not be read: the
/// endpoint cannot be checked without it. A mistake in the options is reported and the
/// rest is read anyway.
pub(crate) fn parse_verb_attr(cx: &mut Ctxt, attr: &Attribute) -> Option<VerbAttr> {
    let name = attr
        .path()
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default();
    let needs_path = format!("#[{name}] needs a path: #[{name}(\"/resource/{{id}}\")]");
    let list = match &attr.meta {
        Meta::List(list) if !list.tokens.is_empty() => list,
        _ => {
            cx.error_spanned_by(attr, needs_path);
            return None;
        }
    };
    let parsed = list.parse_args_with(|input: ParseStream<'_>| {
        let path = match input.parse::<PathArg>() {
            Ok(PathArg(path)) => {
                if !input.is_empty() {
                    if let Err(error) = input.parse::<Token![,]>() {
                        cx.syn_error(error);
                        skip_past_comma(input);
                    }
                }
                Some(path)
            }
            Err(error) => {
                cx.syn_error(error);
                skip_past_comma(input);
                None
            }
        };
        let parsed = parse_each(cx, input);
        let options = call_options(cx, parsed);
        Ok(path.map(|path| VerbAttr { path, options }))
    });
    parsed.unwrap_or_else(|error| {
        cx.syn_error(error);
        None
    })
}

fn call_options(cx: &mut Ctxt, parsed: Vec<CallOption>) -> CallOptions {
    let mut unsigned = Once::new("unsigned");
    let mut idempotent = Once::new("idempotent");
    let mut timeout = Once::new("timeout");
    let mut decode = Once::new("decode");
    for option in parsed {
        match option {
            CallOption::Unsigned(key) => unsigned.set(cx, key, ()),
            CallOption::Idempotent(key) => idempotent.set(cx, key, ()),
            CallOption::Timeout(key, millis) => timeout.set(cx, key, millis),
            CallOption::Decode(key, value) => decode.set(cx, key, value),
        }
    }
    CallOptions {
        unsigned: unsigned.get().is_some(),
        idempotent: idempotent.get().is_some(),
        timeout_ms: timeout.get(),
        decode: decode.get(),
    }
}

/// The role an attribute on a parameter gives it, before the parameter's type is looked at.
pub(crate) enum ParamAttr {
    Query { rename: Option<String> },
    Header(LitStr),
    Body,
    Form,
}

/// The parameter attributes this macro reads.
#[derive(Clone, Copy)]
pub(crate) enum RoleName {
    Query,
    Header,
    Body,
    Form,
}

/// Attributes the compiler itself accepts on a parameter; anything else on a parameter of
/// an endpoint is most likely a misspelt role.
const BUILTIN_PARAM_ATTRS: [&str; 7] = [
    "cfg", "cfg_attr", "allow", "warn", "deny", "forbid", "expect",
];

/// Whether the attribute is ours (`#[query]`…), the compiler's, or unknown.
pub(crate) enum ParamAttrKind {
    Ours(RoleName),
    Builtin,
    Unknown,
}

pub(crate) fn classify_param_attr(attr: &Attribute) -> ParamAttrKind {
    let Some(ident) = attr.path().get_ident() else {
        return ParamAttrKind::Unknown;
    };
    match ident.to_string().as_str() {
        "query" => ParamAttrKind::Ours(RoleName::Query),
        "header" => ParamAttrKind::Ours(RoleName::Header),
        "body" => ParamAttrKind::Ours(RoleName::Body),
        "form" => ParamAttrKind::Ours(RoleName::Form),
        name if BUILTIN_PARAM_ATTRS.contains(&name) => ParamAttrKind::Builtin,
        _ => ParamAttrKind::Unknown,
    }
}

/// The one option of `#[query(…)]`: `rename = "name"`.
struct RenameArg(kw::rename, LitStr);

impl Parse for RenameArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if !input.peek(kw::rename) {
            let key = input.call(Ident::parse_any)?;
            return Err(syn::Error::new(
                key.span(),
                "unknown option; #[query] takes `rename = \"name\"`",
            ));
        }
        let key = input.parse()?;
        input.parse::<Token![=]>()?;
        let name: LitStr = input.parse()?;
        if name.value().is_empty() {
            return Err(syn::Error::new(
                name.span(),
                "a query parameter name cannot be empty",
            ));
        }
        Ok(RenameArg(key, name))
    }
}

/// The argument of `#[header(…)]`: the header's name.
struct HeaderArg(LitStr);

impl Parse for HeaderArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Option<Token![,]>>()?;
        Ok(HeaderArg(name))
    }
}

/// Reads one attribute of [`ParamAttrKind::Ours`]; `None` when it had a mistake (reported).
pub(crate) fn parse_param_attr(
    cx: &mut Ctxt,
    attr: &Attribute,
    role: RoleName,
) -> Option<ParamAttr> {
    let errors_before = cx.error_count();
    let parsed = match (role, &attr.meta) {
        (RoleName::Body, Meta::Path(_)) => Some(ParamAttr::Body),
        (RoleName::Form, Meta::Path(_)) => Some(ParamAttr::Form),
        (RoleName::Body, _) => {
            cx.error_spanned_by(attr, "#[body] takes no arguments");
            None
        }
        (RoleName::Form, _) => {
            cx.error_spanned_by(attr, "#[form] takes no arguments");
            None
        }
        (RoleName::Query, Meta::Path(_)) => Some(ParamAttr::Query { rename: None }),
        (RoleName::Query, Meta::List(list)) if !list.tokens.is_empty() => {
            let mut rename = Once::new("rename");
            match list.parse_args_with(|input: ParseStream<'_>| Ok(parse_each(cx, input))) {
                Ok(args) => {
                    for RenameArg(key, value) in args {
                        rename.set(cx, key, value.value());
                    }
                }
                Err(error) => cx.syn_error(error),
            }
            Some(ParamAttr::Query {
                rename: rename.get(),
            })
        }
        (RoleName::Query, _) => {
            cx.error_spanned_by(attr, "write #[query] or #[query(rename = \"name\")]");
            None
        }
        (RoleName::Header, Meta::List(list)) => header_name(cx, list).map(ParamAttr::Header),
        (RoleName::Header, _) => {
            cx.error_spanned_by(attr, HEADER_NEEDS_NAME);
            None
        }
    };
    parsed.filter(|_| cx.error_count() == errors_before)
}

const HEADER_NEEDS_NAME: &str = "#[header] needs the header's name: #[header(\"X-Request-Id\")]";

/// The name in `#[header("Name")]`, checked.
fn header_name(cx: &mut Ctxt, list: &syn::MetaList) -> Option<LitStr> {
    let name = match list.parse_args::<HeaderArg>() {
        Ok(HeaderArg(name)) => name,
        Err(error) => {
            cx.error_at(error.span(), HEADER_NEEDS_NAME);
            return None;
        }
    };
    if let Err(why) = lit::check_header_name(&name.value()) {
        cx.error_spanned_by(&name, why);
        return None;
    }
    Some(name)
}
