//! The SHA-512 implementations this machine could use for Armor, side by side in one run:
//! aws-lc's (assembly, chosen by CPU) and RustCrypto's (`sha2`, whose x86-64 back end uses
//! AVX2 when the CPU has it). Armor hashes a body and computes one HMAC-SHA512 per call, so
//! the per-block cost decides its signing time. Results: BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::Mac;
use sha2::Digest;

/// One block's worth after padding: 111 bytes is the most a single block can carry.
const ONE_BLOCK: &[u8] = &[b'a'; 111];
/// Armor's HMAC input for the signing bench's request: key id, method, path, nonce,
/// timestamp and the body hash in base64, about 190 bytes (two blocks after the key's).
const HMAC_INPUT: &[u8] = &[b'b'; 190];
const KEY: &[u8] = b"secret";

fn digests(c: &mut Criterion) {
    // The block function alone, eight blocks per call: the cost per block that bounds any
    // SHA-512 from below (the floor of Armor's signing is this times its blocks).
    let mut group = c.benchmark_group("sha512_block_function");
    let blocks = [sha2::digest::generic_array::GenericArray::from([7u8; 128]); 8];
    group.throughput(criterion::Throughput::Elements(blocks.len() as u64));
    group.bench_function("sha2_eight_blocks", |b| {
        b.iter(|| {
            let mut state = [0u64; 8];
            sha2::compress512(&mut state, black_box(&blocks));
            state
        })
    });
    group.finish();

    let mut group = c.benchmark_group("sha512_one_block");
    group.bench_function("aws_lc", |b| {
        b.iter(|| aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, black_box(ONE_BLOCK)))
    });
    group.bench_function("sha2", |b| {
        b.iter(|| sha2::Sha512::digest(black_box(ONE_BLOCK)))
    });
    group.finish();

    let mut group = c.benchmark_group("hmac_sha512_keyed_once");
    let aws_key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA512, KEY);
    group.bench_function("aws_lc", |b| {
        b.iter(|| aws_lc_rs::hmac::sign(&aws_key, black_box(HMAC_INPUT)))
    });
    // RustCrypto's HMAC keeps the states after the key blocks; a clone per message reuses
    // them, as the aws-lc key does.
    let keyed = hmac::Hmac::<sha2::Sha512>::new_from_slice(KEY).unwrap();
    group.bench_function("sha2", |b| {
        b.iter(|| {
            let mut mac = keyed.clone();
            mac.update(black_box(HMAC_INPUT));
            mac.finalize().into_bytes()
        })
    });
    group.finish();
}

criterion_group!(benches, digests);
criterion_main!(benches);
