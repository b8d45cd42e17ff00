//! The contents of the macro's string literals, checked at compile time: timeouts
//! (`"5s"`), path templates (`"/zone/{zone}/record"`) and header names. Each check is a
//! plain function of the text, so it is tested here without any tokens.

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
        // `{key+}` takes several segments (an object key); the parameter is `key`.
        let name = after[..close].strip_suffix('+').unwrap_or(&after[..close]);
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
            parse_path_template("/{bucket}/{key+}"),
            Ok(vec!["bucket".to_owned(), "key".to_owned()])
        );
        assert_eq!(
            parse_path_template("/files/{name}.json"),
            Ok(vec!["name".to_owned()])
        );
        for bad in [
            "",
            "x/{a}",
            "/a?b=1",
            "/a#b",
            "/a b",
            "/{a",
            "/a}",
            "/{}",
            "/{1a}",
            "/{a-b}",
            "/{a}/{a}",
            "/{a}/{a+}",
            "/{+}",
            "/{a++}",
            "/../x",
            "/x/./{a}",
            "/{a}/..",
            "/{a{b}}",
            "/a\n",
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
