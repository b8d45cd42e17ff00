//! What the whole typed client costs over a plain reqwest loop, against the same server.
//!
//! Both sides call `GET /me` on the in-process mock's OVH API and decode the same model;
//! the mock verifies both signatures the same way. The reqwest side sends headers signed
//! once before the loop (OVH accepts a timestamp for minutes), so the difference is what
//! the client adds per call: signing, URL building, the retry and clock machinery, error
//! mapping. Results and the machine they ran on: BENCHMARKS.md.

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use signed_api::scheme::{Scheme, SignableRequest, SigningParams};
use signed_api::schemes::{OvhCredentials, OvhScheme};
use signed_api_clients::ovh::{Nichandle, Ovh, OvhClient};
use signed_api_mock::{Api, MockConfig, MockCredentials, MockServer, OvhMockCredentials};

const AK: &str = "bench-application-key";
const AS: &str = "bench-application-secret";
const CK: &str = "bench-consumer-key";

fn credentials() -> OvhCredentials {
    OvhCredentials::new(AK, AS)
        .unwrap()
        .with_consumer_key(CK)
        .unwrap()
}

fn client_against_plain_reqwest(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let demo = signed_api_mock::demo_dir();
    let mock = runtime.block_on(async {
        let mut accepted = MockCredentials::demo(&demo).unwrap();
        accepted.ovh = OvhMockCredentials::new(AK, AS, CK).unwrap();
        MockServer::start(MockConfig::new(accepted)).await.unwrap()
    });
    let base_url = mock.base_url(Api::Ovh);
    let me_url = format!("{base_url}/me");

    let typed = OvhClient::builder()
        .credentials(credentials())
        .base_url(base_url.clone())
        .build()
        .unwrap();

    let plain = reqwest::Client::new();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signed = OvhScheme::new(credentials())
        .sign(
            &SignableRequest::new("GET", &me_url, b""),
            &SigningParams::at(now),
        )
        .unwrap();
    let plain_me_with = |timeout: Option<std::time::Duration>| {
        let mut request = plain.get(&me_url).header("x-ovh-application", AK);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        for (name, value) in &signed {
            request = request.header(name, value);
        }
        async move {
            let response = request.send().await.unwrap().error_for_status().unwrap();
            let body = response.bytes().await.unwrap();
            serde_json::from_slice::<Nichandle>(&body).unwrap()
        }
    };
    let plain_me = || plain_me_with(None);
    // Both work before anything is timed (and the client has learnt the server's clock).
    runtime.block_on(async {
        assert_eq!(plain_me().await, typed.me().await.unwrap());
    });

    let mut group = c.benchmark_group("ovh_get_me_against_the_mock");
    group.bench_function("plain_reqwest", |b| b.iter(|| runtime.block_on(plain_me())));
    group.bench_function("plain_reqwest_with_a_timeout", |b| {
        b.iter(|| runtime.block_on(plain_me_with(Some(std::time::Duration::from_secs(30)))))
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
