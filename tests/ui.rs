//! The `#[signed_api]` compile-time checks, as trybuild cases: `tests/ui/fail/*.rs` must
//! fail with exactly the `.stderr` beside them (one error per mistake, pointing at the
//! offending token), `tests/ui/pass/*.rs` must compile.
//!
//! After a deliberate change in a message, regenerate with `TRYBUILD=overwrite cargo test
//! --test ui` and read every changed `.stderr`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
