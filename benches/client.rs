//! What the whole typed client costs over a plain reqwest loop, against the same server.
//!
//! Both sides call `GET /me` on the in-process mock's OVH API and decode the same model;
//! the mock verifies both signatures the same way. The reqwest side sends headers signed
//! once before the loop (OVH accepts a timestamp for minutes), so the difference is what
//! the client adds per call: signing, URL building, the retry and clock machinery, error
//! mapping. The set-up is `benches/support/ovh_me.rs`, shared with the counting benches.
//! Results and the machine they ran on: BENCHMARKS.md.

#[allow(dead_code, reason = "each bench uses part of the shared set-up")]
#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use signed_api_clients::ovh::Ovh;
use support::ovh_me::{PlainMe, base_url, start_mock, typed_client};

fn client_against_plain_reqwest(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mock, demo) = runtime.block_on(start_mock());
    let base_url = base_url(&mock);
    let typed = typed_client(&base_url);
    let plain = PlainMe::new(&base_url);
    // Both work before anything is timed (and the client has learnt the server's clock).
    runtime.block_on(async {
        assert_eq!(plain.me(None).await, typed.me().await.unwrap());
    });

    let mut group = c.benchmark_group("ovh_get_me_against_the_mock");
    group.bench_function("plain_reqwest", |b| {
        b.iter(|| runtime.block_on(plain.me(None)))
    });
    group.bench_function("plain_reqwest_with_a_timeout", |b| {
        b.iter(|| runtime.block_on(plain.me(Some(Duration::from_secs(30)))))
    });
    group.bench_function("typed_client", |b| {
        b.iter(|| runtime.block_on(black_box(&typed).me()).unwrap())
    });
    group.finish();

    runtime.block_on(mock.shutdown());
    let _ = std::fs::remove_dir_all(demo);
}

criterion_group!(benches, client_against_plain_reqwest);
criterion_main!(benches);
