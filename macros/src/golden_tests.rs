//! Tests of the expansion itself: golden files of what small traits expand to (so that any
//! change in the generated code shows in review), and the promise that no input, however
//! malformed, makes the macro panic.
//!
//! Regenerate the golden files with `SIGNED_API_EXPAND=overwrite cargo test -p
//! signed-api-macros`, then read the diff.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::signed_api_tokens as expand;

/// Expands the one `#[signed_api(…)]` trait of `tests/expand/<name>.rs` and formats it.
fn expand_file(name: &str) -> String {
    let path = expand_dir().join(format!("{name}.rs"));
    let source = std::fs::read_to_string(&path).unwrap();
    let file: syn::File = syn::parse_str(&source).unwrap();
    let mut out = TokenStream::new();
    for item in file.items {
        let syn::Item::Trait(mut item) = item else {
            item.to_tokens(&mut out);
            continue;
        };
        let at = item
            .attrs
            .iter()
            .position(|attr| attr.path().is_ident("signed_api"))
            .expect("the trait carries #[signed_api]");
        let attr = item.attrs.remove(at);
        let args = match attr.meta {
            syn::Meta::List(list) => list.tokens,
            _ => TokenStream::new(),
        };
        out.extend(expand(args, item.into_token_stream()));
    }
    let expanded: syn::File = syn::parse2(out).expect("the expansion parses as a file");
    prettyplease::unparse(&expanded)
}

fn expand_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand")
}

fn check_golden(name: &str) {
    let actual = expand_file(name);
    let golden = expand_dir().join(format!("{name}.expanded.rs"));
    if std::env::var_os("SIGNED_API_EXPAND").is_some_and(|v| v == "overwrite") {
        std::fs::write(&golden, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == actual,
        "the expansion of tests/expand/{name}.rs changed; review it and regenerate with \
         SIGNED_API_EXPAND=overwrite. New expansion:\n{actual}"
    );
}

#[test]
fn ovh_small_expands_as_reviewed() {
    check_golden("ovh_small");
}

#[test]
fn custom_scheme_expands_as_reviewed() {
    check_golden("custom_scheme");
}

fn compile_errors(output: &TokenStream) -> usize {
    output.to_string().matches("compile_error").count()
}

#[test]
fn malformed_input_gives_errors_never_a_panic() {
    let cases: &[(&str, &str)] = &[
        ("", "trait A {}"),
        ("scheme", "trait A {}"),
        ("scheme =", "trait A {}"),
        ("scheme = 1", "trait A {}"),
        ("scheme = \"ovh\", scheme = \"nops\"", "trait A {}"),
        ("scheme = \"ovh\" extra", "trait A {}"),
        ("scheme = \"ovh\"", "struct A;"),
        ("scheme = \"ovh\"", ""),
        (
            "scheme = \"ovh\"",
            "trait A { #[get] async fn a(&self) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get()] async fn a(&self) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get = \"/\"] async fn a(&self) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(1)] async fn a(&self) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\", timeout)] async fn a(&self) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\",,)] async fn a(&self) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/{\")] async fn a(&self) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self, (x, y): (u8, u8)) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self, #[query(rename)] x: u8) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self, #[header] x: u8) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self, #[header(1)] x: u8) -> Result<()>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self) -> Result; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self) -> Result<'a>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self) -> Result<Response<&str>>; }",
        ),
        (
            "scheme = \"ovh\"",
            "trait A { #[get(\"/\")] async fn a(&self) -> Result<impl Sized>; }",
        ),
        ("scheme = \"ovh\"", "trait A { type T; const C: u8; }"),
    ];
    for (args, item) in cases {
        let args: TokenStream = args.parse().unwrap();
        let item: TokenStream = item.parse().unwrap();
        let output = expand(args, item);
        assert!(compile_errors(&output) >= 1, "{output}");
    }
}

#[test]
fn every_mistake_of_a_trait_is_reported_in_one_expansion() {
    let item: TokenStream = r#"
        pub trait A {
            fn not_async(&self) -> Result<()>;
            #[get("/a/{id}")]
            async fn unbound(&self) -> Result<()>;
            #[get("/a")]
            async fn no_role(&self, x: u32) -> Result<()>;
            #[delete("/a", timeout = "soon")]
            async fn bad_timeout(&self) -> Result<()>;
        }
    "#
    .parse()
    .unwrap();
    let output = expand(r#"scheme = "armor""#.parse().unwrap(), item);
    assert_eq!(compile_errors(&output), 4, "{output}");
    // The stub keeps the trait and a client type, so no further errors follow.
    let text = output.to_string();
    assert!(text.contains("trait A"), "{text}");
    assert!(text.contains("pub struct AClient"), "{text}");
    assert!(text.contains("impl A for AClient"), "{text}");
    assert!(
        !text.contains("# [get"),
        "the stub drops the macro's attributes: {text}"
    );
}

#[test]
fn every_mistake_in_the_arguments_is_reported_and_reading_goes_on() {
    let count = |args: &str, item: &str| {
        compile_errors(&expand(args.parse().unwrap(), item.parse().unwrap()))
    };
    let endpoint = |attr: &str| format!("trait A {{ #[{attr}] async fn a(&self) -> Result<()>; }}");
    // An unknown argument, then a repeated one: both, and the scheme still counts (no
    // "needs a scheme").
    assert_eq!(
        count(
            r#"client = X, scheme = "ovh", scheme = "nops""#,
            "trait A {}"
        ),
        2
    );
    // A malformed value is skipped up to the next comma.
    assert_eq!(count(r#"scheme = 1, other = 2"#, "trait A {}"), 2);
    // Only a missing scheme, reported once.
    assert_eq!(count("", "trait A {}"), 1);
    // Verb options: an unknown one, a repeated one, a bad timeout.
    assert_eq!(
        count(
            r#"scheme = "ovh""#,
            &endpoint(r#"get("/", retry, unsigned, timeout = "soon", unsigned)"#)
        ),
        3
    );
    // A malformed path leaves the options still checked.
    assert_eq!(count(r#"scheme = "ovh""#, &endpoint("get(1, retry)")), 2);
    // `rename` twice on a query parameter.
    assert_eq!(
        count(
            r#"scheme = "ovh""#,
            r#"trait A { #[get("/")] async fn a(&self, #[query(rename = "a", rename = "b")] x: u8) -> Result<()>; }"#
        ),
        1
    );
}
