//! What signing adds to a request, scheme by scheme, and the RSA implementations side by
//! side. Results and the machine they ran on: BENCHMARKS.md.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use signed_api::keys::{RsaBackend, RsaKey};
use signed_api::nonce::FixedNonce;
use signed_api::scheme::{Scheme, SignableRequest, SigningParams};
use signed_api::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsScheme, OvhCredentials, OvhScheme,
    QredoCredentials, QredoScheme, Sigv4Credentials, Sigv4Scheme,
};

const TIMESTAMP: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"fieldType":"A","subDomain":"www","target":"203.0.113.7","ttl":3600}"#;

fn key() -> RsaKey {
    RsaKey::from_pem_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keys/rsa2048-pkcs1.pem"
    ))
    .unwrap()
}

fn sign(scheme: &dyn Scheme, request: &SignableRequest<'_>, nonce: Option<&str>) -> usize {
    let mut params = SigningParams::at(TIMESTAMP);
    if let Some(nonce) = nonce {
        params = params.with_nonce(nonce);
    }
    scheme.sign(request, &params).unwrap().len()
}

fn schemes(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");
    let url = "https://eu.api.ovh.com/1.0/domain/zone/example.com/record?fieldType=A&subDomain=www";

    let ovh = OvhScheme::new(
        OvhCredentials::new("ak", "as-0123456789abcdef")
            .unwrap()
            .with_consumer_key("ck-0123456789")
            .unwrap(),
    );
    let request = SignableRequest::new("POST", url, BODY);
    group.bench_function("ovh", |b| b.iter(|| sign(&ovh, black_box(&request), None)));

    let armor = ArmorScheme::new(
        ArmorCredentials::new("20a37099-4a0b-432f-bf46-5fa690a0405c", "secret").unwrap(),
    )
    .nonce_source(Arc::new(FixedNonce(
        "0b5e1e0c-7a55-4a4c-9b53-2f3f3c1a8d11".into(),
    )));
    let nonce = armor.nonce(TIMESTAMP).unwrap();
    group.bench_function("armor", |b| {
        b.iter(|| sign(&armor, black_box(&request), Some(&nonce)))
    });
    // The same URL with no body: Armor then signs an empty body part (no body hash).
    let armor_get = SignableRequest::new("GET", url, b"");
    group.bench_function("armor_get", |b| {
        b.iter(|| sign(&armor, black_box(&armor_get), Some(&nonce)))
    });

    let nops = NopsScheme::new(
        NopsCredentials::new("4711.f00dfeed")
            .unwrap()
            .with_private_key(key()),
    );
    let nops_request = SignableRequest::new(
        "GET",
        "https://app.nops.io/c/admin/projectaws/?api_key=4711.f00dfeed",
        b"",
    );
    sign(&nops, &nops_request, None); // the first call of the day pays the RSA operation
    group.bench_function("nops_cached", |b| {
        b.iter(|| sign(&nops, black_box(&nops_request), None))
    });

    // SigV4 with the day's signing key cached (the first call derives it), as a client
    // sends it: User-Agent and Accept present but unsigned.
    let sigv4 = Sigv4Scheme::new(
        Sigv4Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap(),
        "eu-west-3",
        "s3",
    )
    .unwrap();
    let mut client_headers = signed_api::HeaderMap::new();
    client_headers.insert("user-agent", "signed-api/0.1.0".parse().unwrap());
    client_headers.insert("accept", "application/json".parse().unwrap());
    let get = SignableRequest::new(
        "GET",
        "https://bucket.s3.eu-west-3.amazonaws.com/reports/2024/q3.pdf",
        b"",
    )
    .with_headers(&client_headers);
    sign(&sigv4, &get, None);
    group.bench_function("sigv4_get", |b| {
        b.iter(|| sign(&sigv4, black_box(&get), None))
    });
    let kib = vec![b'x'; 1024];
    let mut put_headers = client_headers.clone();
    put_headers.insert("content-type", "application/octet-stream".parse().unwrap());
    let put = SignableRequest::new(
        "PUT",
        "https://bucket.s3.eu-west-3.amazonaws.com/uploads/blob.bin",
        &kib,
    )
    .with_headers(&put_headers);
    group.bench_function("sigv4_put_1kib", |b| {
        b.iter(|| sign(&sigv4, black_box(&put), None))
    });

    let qredo = QredoScheme::new(QredoCredentials::new("api-key", key()).unwrap());
    group.bench_function("qredo_rsa2048", |b| {
        b.iter(|| sign(&qredo, black_box(&request), None))
    });
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
