//! What signing adds to a request, scheme by scheme, and the RSA implementations side by
//! side. Results and the machine they ran on: BENCHMARKS.md. The requests are those of
//! `benches/support/signing.rs`, which the counting benches (`per_call`, `allocations`)
//! sign too.

#[allow(dead_code, reason = "each bench uses part of the shared set-up")]
#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use signed_api::keys::RsaBackend;
use support::signing::{CASES, Case, key};

fn schemes(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");
    for name in CASES {
        let case = Case::new(name).unwrap();
        let request = case.request();
        group.bench_function(name, |b| b.iter(|| case.sign(&request)));
    }
    group.finish();
}

fn rsa_backends(c: &mut Criterion) {
    let mut group = c.benchmark_group("rsa2048_pkcs1v15_sha256");
    let key = key();
    let message =
        b"4711.2026-11-22./c/admin/projectaws/?api_key=4711.f00dfeedc0ffee0123456789abcdef";
    group.bench_function("rsa_crate", |b| {
        b.iter(|| {
            key.sign_with(RsaBackend::RustCrypto, black_box(message))
                .unwrap()
        })
    });
    group.bench_function("aws_lc_rs", |b| {
        b.iter(|| {
            key.sign_with(RsaBackend::AwsLc, black_box(message))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, schemes, rsa_backends);
criterion_main!(benches);
