//! Reading the macro's own attributes: `#[signed_api(scheme = …)]`, the verb attributes
//! (`#[get("/path", unsigned, timeout = "5s", idempotent)]`) and the parameter roles
//! (`#[query]`, `#[header("Name")]`, `#[body]`, `#[form]`), plus the checks of the literals
//! they hold (path templates, timeouts, header names) that can be made at compile time.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitStr, Meta, Token};

use crate::ctxt::Ctxt;
use crate::model::{Builtin, SchemeSpec, Verb};

/// Reads `scheme = "ovh"` or `scheme = path::To::Type` from the attribute's arguments.
/// Reports a missing, unknown or repeated key; returns the scheme when one was usable.
pub(crate) fn parse_api_args(cx: &mut Ctxt, args: TokenStream) -> Option<SchemeSpec> {
    let parser = |input: ParseStream<'_>| {
        let mut scheme: Option<Option<SchemeSpec>> = None;
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            if key != "scheme" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown argument `{key}`; #[signed_api] takes `scheme = …`"),
                ));
            }
            input.parse::<Token![=]>()?;
            let value = if input.peek(LitStr) {
                let name: LitStr = input.parse()?;
                match Builtin::from_name(&name.value()) {
                    Some(builtin) => Some(SchemeSpec::Builtin(builtin, name)),
                    None => {
                        return Err(syn::Error::new(
                            name.span(),
                            format!(
                                "unknown scheme {:?}; use {} or the path of a type that \
                                 implements `signed_api::Scheme`",
                                name.value(),
                                Builtin::NAMES
                            ),
                        ));
                    }
                }
            } else if input.peek(Ident) || input.peek(Token![::]) || input.peek(Token![crate]) {
                Some(SchemeSpec::Custom(input.parse()?))
            } else {
                return Err(input.error(format!(
                    "expected {} or the path of a type that implements `signed_api::Scheme`",
                    Builtin::NAMES
                )));
            };
            if scheme.is_some() {
                return Err(syn::Error::new(key.span(), "`scheme` is given twice"));
            }
            scheme = Some(value);
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(scheme)
    };
    match parser.parse2(args) {
        Ok(Some(scheme)) => scheme,
        Ok(None) => {
            // The call site of an attribute macro is the attribute itself.
            cx.error_at(
                Span::call_site(),
                format!(
                    "#[signed_api] needs a scheme: #[signed_api(scheme = \"ovh\")], with {} \
                     or the path of a type that implements `signed_api::Scheme`",
                    Builtin::NAMES
                ),
            );
            None
        }
        Err(error) => {
            cx.syn_error(error);
            None
        }
    }
}

/// What a verb attribute says.
pub(crate) struct VerbAttr {
    pub(crate) verb: Verb,
    pub(crate) path: LitStr,
    pub(crate) unsigned: bool,
    pub(crate) idempotent: bool,
    pub(crate) timeout_ms: Option<u64>,
}

/// Whether `attr` is one of the verb attributes.
pub(crate) fn verb_of(attr: &Attribute) -> Option<Verb> {
    attr.path().get_ident().and_then(Verb::from_ident)
}

/// Reads `#[verb("/path", options…)]`. `verb` comes from [`verb_of`].
pub(crate) fn parse_verb_attr(cx: &mut Ctxt, attr: &Attribute, verb: Verb) -> Option<VerbAttr> {
    let name = attr
        .path()
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default();
    let Meta::List(list) = &attr.meta else {
        cx.error_spanned_by(
            attr,
            format!("#[{name}] needs a path: #[{name}(\"/resource/{{id}}\")]"),
        );
        return None;
    };
    let parser = |input: ParseStream<'_>| {
        if input.is_empty() {
            return Err(input.error(format!(
                "#[{name}] needs a path: #[{name}(\"/resource/{{id}}\")]"
            )));
        }
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the path as a string literal: \"/resource/{id}\"",
            )
        })?;
        let mut parsed = VerbAttr {
            verb,
            path,
            unsigned: false,
            idempotent: false,
            timeout_ms: None,
        };
        let mut seen: Vec<String> = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let option: Ident = input.parse()?;
            let key = option.to_string();
            if seen.contains(&key) {
                return Err(syn::Error::new(
                    option.span(),
                    format!("`{key}` is given twice"),
                ));
            }
            match key.as_str() {
                "unsigned" => parsed.unsigned = true,
                "idempotent" => parsed.idempotent = true,
                "timeout" => {
                    input.parse::<Token![=]>()?;
                    let literal: LitStr = input.parse()?;
                    parsed.timeout_ms = Some(
                        parse_timeout(&literal.value())
                            .map_err(|why| syn::Error::new(literal.span(), why))?,
                    );
                }
                _ => {
                    return Err(syn::Error::new(
                        option.span(),
                        format!(
                            "unknown option `{key}`; expected `unsigned`, `idempotent` or \
                             `timeout = \"5s\"`"
                        ),
                    ));
                }
            }
            seen.push(key);
        }
        Ok(parsed)
    };
    match parser.parse2(list.tokens.clone()) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            cx.syn_error(error);
            None
        }
    }
}

/// Parses `"500ms"`, `"5s"`, `"2m"` into milliseconds. Zero is refused: a request that may
/// not take any time can never succeed.
pub(crate) fn parse_timeout(text: &str) -> Result<u64, String> {
    let why = || {
        format!(
            "invalid timeout {text:?}: write a whole number followed by `ms`, `s` or `m`, \
             as in \"500ms\", \"5s\" or \"2m\""
        )
    };
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    if digits.is_empty() {
        return Err(why());
    }
    let factor = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        _ => return Err(why()),
    };
    let value: u64 = digits.parse().map_err(|_| why())?;
    let millis = value.checked_mul(factor).ok_or_else(why)?;
    if millis == 0 {
        return Err(format!(
            "invalid timeout {text:?}: it must be longer than zero"
        ));
    }
    Ok(millis)
}

/// The role an attribute on a parameter gives it.
pub(crate) enum ParamAttr {
    Query { rename: Option<String> },
    Header(LitStr),
    Body,
    Form,
}

/// The parameter attributes this macro reads.
pub(crate) const PARAM_ATTRS: [&str; 4] = ["query", "header", "body", "form"];

/// Attributes the compiler itself accepts on a parameter; anything else on a parameter of
/// an endpoint is most likely a misspelt role.
const BUILTIN_PARAM_ATTRS: [&str; 7] = [
    "cfg", "cfg_attr", "allow", "warn", "deny", "forbid", "expect",
];

/// Whether the attribute is ours (`#[query]`…), the compiler's, or unknown.
pub(crate) enum ParamAttrKind {
    Ours,
    Builtin,
    Unknown,
}

pub(crate) fn classify_param_attr(attr: &Attribute) -> ParamAttrKind {
    let Some(ident) = attr.path().get_ident() else {
        return ParamAttrKind::Unknown;
    };
    let name = ident.to_string();
    if PARAM_ATTRS.contains(&name.as_str()) {
        ParamAttrKind::Ours
    } else if BUILTIN_PARAM_ATTRS.contains(&name.as_str()) {
        ParamAttrKind::Builtin
    } else {
        ParamAttrKind::Unknown
    }
}

/// Reads one of [`PARAM_ATTRS`].
pub(crate) fn parse_param_attr(attr: &Attribute) -> syn::Result<ParamAttr> {
    let name = attr
        .path()
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default();
    match name.as_str() {
        "body" | "form" => {
            if !matches!(attr.meta, Meta::Path(_)) {
                return Err(syn::Error::new_spanned(
                    attr,
                    format!("#[{name}] takes no arguments"),
                ));
            }
            Ok(if name == "body" {
                ParamAttr::Body
            } else {
                ParamAttr::Form
            })
        }
        "query" => match &attr.meta {
            Meta::Path(_) => Ok(ParamAttr::Query { rename: None }),
            Meta::List(list) => {
                let parser = |input: ParseStream<'_>| {
                    let key: Ident = input.parse()?;
                    if key != "rename" {
                        return Err(syn::Error::new(
                            key.span(),
                            "unknown option; #[query] takes `rename = \"name\"`",
                        ));
                    }
                    input.parse::<Token![=]>()?;
                    let rename: LitStr = input.parse()?;
                    if rename.value().is_empty() {
                        return Err(syn::Error::new(
                            rename.span(),
                            "a query parameter name cannot be empty",
                        ));
                    }
                    input.parse::<Option<Token![,]>>()?;
                    Ok(rename.value())
                };
                Ok(ParamAttr::Query {
                    rename: Some(parser.parse2(list.tokens.clone())?),
                })
            }
            Meta::NameValue(_) => Err(syn::Error::new_spanned(
                attr,
                "write #[query] or #[query(rename = \"name\")]",
            )),
        },
        "header" => {
            let Meta::List(list) = &attr.meta else {
                return Err(syn::Error::new_spanned(
                    attr,
                    "#[header] needs the header's name: #[header(\"X-Request-Id\")]",
                ));
            };
            let parser = |input: ParseStream<'_>| {
                let name: LitStr = input.parse()?;
                input.parse::<Option<Token![,]>>()?;
                Ok(name)
            };
            let header = parser.parse2(list.tokens.clone()).map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "#[header] needs the header's name: #[header(\"X-Request-Id\")]",
                )
            })?;
            check_header_name(&header.value())
                .map_err(|why| syn::Error::new(header.span(), why))?;
            Ok(ParamAttr::Header(header))
        }
        _ => Err(syn::Error::new(attr.span(), "not a parameter role")),
    }
}

/// A header name is an RFC 9110 token: visible ASCII without separators.
pub(crate) fn check_header_name(name: &str) -> Result<(), String> {
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() {
        return Err("a header name cannot be empty".into());
    }
    if let Some(bad) = name.chars().find(|c| !c.is_ascii() || !is_tchar(*c as u8)) {
        return Err(format!(
            "invalid header name {name:?}: {bad:?} is not allowed; a header name is letters, \
             digits and !#$%&'*+-.^_`|~"
        ));
    }
    Ok(())
}

/// Checks a path template and returns its `{name}` placeholders, in order.
///
/// The runtime checks the rendered path again at send time; checking here turns a typo
/// into a compile error instead of a failed call.
pub(crate) fn parse_path_template(path: &str) -> Result<Vec<String>, String> {
    if !path.starts_with('/') {
        return Err(format!("invalid path {path:?}: it must start with `/`"));
    }
    if let Some(bad) = path.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(format!(
            "invalid path {path:?}: `{bad}` is not allowed; pass query parameters with #[query]"
        ));
    }
    if let Some(bad) = path.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "invalid path {path:?}: {bad:?} is not allowed in a path"
        ));
    }
    let mut placeholders = Vec::new();
    let mut rest = path;
    while let Some(at) = rest.find(['{', '}']) {
        let literal = &rest[..at];
        if literal
            .split('/')
            .any(|segment| segment == "." || segment == "..")
        {
            return Err(format!(
                "invalid path {path:?}: `.` and `..` segments are not allowed"
            ));
        }
        if rest[at..].starts_with('}') {
            return Err(format!("invalid path {path:?}: unmatched `}}`"));
        }
        let after = &rest[at + 1..];
        let Some(close) = after
            .find(['{', '}'])
            .filter(|&i| after[i..].starts_with('}'))
        else {
            return Err(format!("invalid path {path:?}: unclosed `{{`"));
        };
        let name = &after[..close];
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!(
                "invalid path {path:?}: `{{{name}}}` must name a parameter, as in `{{id}}`"
            ));
        }
        if placeholders.iter().any(|seen| seen == name) {
            return Err(format!("invalid path {path:?}: `{{{name}}}` appears twice"));
        }
        placeholders.push(name.to_owned());
        rest = &after[close + 1..];
    }
    if rest
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Err(format!(
            "invalid path {path:?}: `.` and `..` segments are not allowed"
        ));
    }
    Ok(placeholders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse_in_three_units_and_refuse_the_rest() {
        assert_eq!(parse_timeout("500ms"), Ok(500));
        assert_eq!(parse_timeout("5s"), Ok(5_000));
        assert_eq!(parse_timeout("2m"), Ok(120_000));
        for bad in [
            "",
            "5",
            "s",
            "5 s",
            "5sec",
            "1.5s",
            "-1s",
            "0s",
            "5h",
            "99999999999999999999s",
        ] {
            assert!(parse_timeout(bad).is_err(), "{bad:?}");
        }
        assert!(parse_timeout("18446744073709551615m").is_err(), "overflow");
    }

    #[test]
    fn path_templates_yield_their_placeholders() {
        assert_eq!(
            parse_path_template("/domain/zone/{zone}/record/{id}"),
            Ok(vec!["zone".to_owned(), "id".to_owned()])
        );
        assert_eq!(parse_path_template("/c/admin/projectaws/"), Ok(vec![]));
        assert_eq!(
            parse_path_template("/files/{name}.json"),
            Ok(vec!["name".to_owned()])
        );
        for bad in [
            "", "x/{a}", "/a?b=1", "/a#b", "/a b", "/{a", "/a}", "/{}", "/{1a}", "/{a-b}",
            "/{a}/{a}", "/../x", "/x/./{a}", "/{a}/..", "/{a{b}}", "/a\n",
        ] {
            assert!(parse_path_template(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn header_names_are_tokens() {
        assert!(check_header_name("X-Request-Id").is_ok());
        assert!(check_header_name("x_b.c~").is_ok());
        for bad in ["", "X Request", "X:Y", "Ré", "X\r\n", "(a)"] {
            assert!(check_header_name(bad).is_err(), "{bad:?}");
        }
    }
}
