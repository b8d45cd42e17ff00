//! The `#[signed_api]` compile-time checks, as trybuild cases: `tests/signed_api/fail/*.rs` must
//! fail with exactly the `.stderr` beside them (one error per mistake, pointing at the
//! offending token), `tests/signed_api/pass/*.rs` must compile.
//!
//! After a deliberate change in a message, regenerate with `TRYBUILD=overwrite cargo test
//! -p signed-api-macros --test ui` and read every changed `.stderr`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/signed_api/pass/*.rs");
    cases.compile_fail("tests/signed_api/fail/*.rs");
}
