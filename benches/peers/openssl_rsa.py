#!/usr/bin/env python3
"""OpenSSL's RSA-2048 PKCS#1 v1.5 / SHA-256 signing time on the key the signing bench uses.

`openssl speed rsa2048` times a key of its own; this signs with the bench's key
(tests/vectors/keys/rsa2048-pkcs1.pem) and the bench's message, through the system's
libcrypto called directly (ctypes, standard library only), so the comparison with
`cargo bench --bench signing -- rsa2048` is like for like. The few foreign calls per
signature cost about a microsecond, under 0.2% of a signature.

    python3 benches/peers/openssl_rsa.py [--seconds 5] [--runs 5]

Prints the median time per signature of each run, and the median of the runs.
"""

import argparse
import ctypes
import ctypes.util
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = ROOT / "tests" / "vectors" / "keys" / "rsa2048-pkcs1.pem"
# The message of benches/signing.rs's rsa2048_pkcs1v15_sha256 group.
MESSAGE = b"4711.2026-11-22./c/admin/projectaws/?api_key=4711.f00dfeedc0ffee0123456789abcdef"


def libcrypto():
    name = ctypes.util.find_library("crypto") or "libcrypto.so.3"
    lib = ctypes.CDLL(name)
    vp, sz = ctypes.c_void_p, ctypes.c_size_t
    signatures = {
        "OpenSSL_version": ([ctypes.c_int], ctypes.c_char_p),
        "BIO_new_mem_buf": ([ctypes.c_char_p, ctypes.c_int], vp),
        "BIO_free": ([vp], ctypes.c_int),
        "PEM_read_bio_PrivateKey": ([vp, vp, vp, vp], vp),
        "EVP_sha256": ([], vp),
        "EVP_MD_CTX_new": ([], vp),
        "EVP_MD_CTX_free": ([vp], None),
        "EVP_DigestSignInit": ([vp, vp, vp, vp, vp], ctypes.c_int),
        "EVP_DigestSign": ([vp, ctypes.c_char_p, ctypes.POINTER(sz), ctypes.c_char_p, sz], ctypes.c_int),
    }
    for symbol, (args, result) in signatures.items():
        function = getattr(lib, symbol)
        function.argtypes, function.restype = args, result
    return lib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    lib = libcrypto()
    pem = KEY.read_bytes()
    bio = lib.BIO_new_mem_buf(pem, len(pem))
    key = lib.PEM_read_bio_PrivateKey(bio, None, None, None)
    lib.BIO_free(bio)
    if not key:
        raise SystemExit(f"libcrypto could not read {KEY}")
    ctx = lib.EVP_MD_CTX_new()
    signature = ctypes.create_string_buffer(512)
    length = ctypes.c_size_t()

    def sign():
        # Initialised per signature, as a fresh signing operation per request would be.
        if lib.EVP_DigestSignInit(ctx, None, lib.EVP_sha256(), None, key) != 1:
            raise SystemExit("EVP_DigestSignInit failed")
        length.value = len(signature)
        if lib.EVP_DigestSign(ctx, signature, ctypes.byref(length), MESSAGE, len(MESSAGE)) != 1:
            raise SystemExit("EVP_DigestSign failed")

    print(lib.OpenSSL_version(0).decode(), f"on {KEY.relative_to(ROOT)}")
    for _ in range(20):  # warm-up
        sign()
    medians = []
    for run in range(1, args.runs + 1):
        times = []
        deadline = time.perf_counter() + args.seconds
        while time.perf_counter() < deadline:
            start = time.perf_counter_ns()
            sign()
            times.append(time.perf_counter_ns() - start)
        median = statistics.median(times) / 1000
        medians.append(median)
        print(f"run {run}: {len(times)} signatures, median {median:.1f} µs")
    print(f"median of the runs: {statistics.median(medians):.1f} µs "
          f"(spread {min(medians):.1f}–{max(medians):.1f} µs)")
    lib.EVP_MD_CTX_free(ctx)


if __name__ == "__main__":
    main()
