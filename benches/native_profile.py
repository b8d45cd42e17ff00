#!/usr/bin/env python3
"""Where the typed client's extra CPU per call goes natively, by `perf` sampling.

    python3 benches/native_profile.py [--rounds 6] [--in-flight 64] [--runs 4]
                                      [--seconds 0.5] [--warm-up 0.1]

callgrind (`benches/instructions.py`) counts instructions, which do not move with the
machine's load, but on a virtual CPU without SHA-NI or AVX-512 and without the cost of
cache misses, atomic operations on shared cache lines or the kernel. This samples the
client process as it really runs: the throughput driver (`cargo bench --bench throughput
--no-run`) serves the mock in a process of its own, and each recording is one driver
run of one client at one endpoint (`--client typed` or `--client plain`) under
`perf record -F 4999 -e cpu-clock`, the mock never recorded. Typed and plain are recorded
in turns, `--rounds` times each per endpoint (the order reversed every other round), and
their samples summed, so that drift in the machine's load hits both. Paths both clients
share (the kernel's network code, hyper) still move by up to a fifth per call from one
recording to the next as the machine's load does; the groups only the typed client runs
(its own code, the timer, the span's wrapper) are the steadier part of the difference.

Samples become CPU time per call: a sample stands for 1/4999 s, and the calls a recording
made are each run's rate times its length, warm-up included (the driver reports rates
over the timed window only). Symbols are grouped by name (the GROUPS below); the table
gives each group's CPU time per call for typed and plain and the difference.

Needs Linux `perf` allowed to sample (kernel.perf_event_paranoid at most 2 for user
space; kernel symbols need 1 or less, or root). Not part of CI. Writes
`bench-results/native-profile.json` under the target directory (`$CARGO_TARGET_DIR`,
else `target/`): {"endpoints": {"/me": {"typed_us_per_call": t, "plain_us_per_call": p,
"groups": {name: {"typed": t, "plain": p}}}}, "settings": {...}}.
"""

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from cargo_bench import bench_executable, target_dir

FREQUENCY = 4999

# Symbol groups, tried in order: the first whose pattern matches a symbol takes it.
# Kernel symbols are marked `[k]` by perf, user-space ones `[.]`.
GROUPS = [
    ("kernel: scheduling and wake-ups", r"^\[k\].*(finish_task_switch|schedule|_raw_spin|irqentry|try_to_wake|enqueue|dequeue|update_curr|pick_next|futex|select_task|ttwu|psi_|switch_)"),
    ("kernel: network", r"^\[k\].*(tcp|ip_|inet|sock|skb|__dev|net_|loopback|napi|copy_|_copy|csum|sys_sendmsg|sys_recv|vfs_|ep_|epoll)"),
    ("kernel: other", r"^\[k\]"),
    ("memmove/memcpy", r"mem(move|cpy)"),
    ("malloc/free", r"malloc|free|_int_|cfree|realloc|consolidate"),
    ("the crate's own code (and the model's decode)", r"signed_api"),
    ("tokio's timer and the clock", r"tokio::time|runtime::time|clock_gettime|Timespec"),
    ("header maps", r"http::header"),
    ("URL parsing", r"url::|idna|percent_enc"),
    ("hyper, reqwest", r"hyper|reqwest|h1::|http_body"),
    ("tokio's scheduler and I/O", r"tokio::"),
    ("serde", r"serde"),
    ("the tracing span's wrapper", r"tracing"),
    ("bytes (reference counts)", r"bytes::"),
]
OTHER = "everything else"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="recordings per client and endpoint")
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--runs", type=int, default=4, help="driver runs per recording")
    parser.add_argument("--seconds", type=float, default=0.5, help="timed window of each run")
    parser.add_argument("--warm-up", type=float, default=0.1)
    return parser.parse_args()


def record(driver, base_url, client, endpoint, args, folder, label):
    """One perf recording of one driver run; its symbols' sample counts and its calls."""
    data = Path(folder) / f"{label}.data"
    out = Path(folder) / f"{label}.json"
    command = [
        "perf", "record", "-q", "-F", str(FREQUENCY), "-e", "cpu-clock", "-o", str(data), "--",
        driver, "--base-url", base_url, "--client", client, "--endpoint", endpoint,
        "--in-flight", str(args.in_flight), "--runs", str(args.runs),
        "--seconds", str(args.seconds), "--warm-up", str(args.warm_up), "--out", str(out),
    ]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"native_profile.py: {' '.join(command)} failed:\n{done.stderr}")
    report = subprocess.run(
        ["perf", "report", "-i", str(data), "--sort", "sym", "--stdio", "--no-children",
         "-F", "sample,sym"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True,
    ).stdout
    samples = collections.Counter()
    for line in report.splitlines():
        match = re.match(r"\s*(\d+)\s+(\[.\].*)", line)
        if match:
            samples[match.group(2).strip()] += int(match.group(1))
    (measured,) = json.loads(out.read_text())
    calls = sum(measured["runs"]) * (args.seconds + args.warm_up)
    return samples, calls


def group_of(symbol):
    for name, pattern in GROUPS:
        if re.search(pattern, symbol):
            return name
    return OTHER


def per_call(samples, calls):
    """Microseconds of CPU per call, by group, from summed samples and calls."""
    groups = collections.Counter()
    for symbol, count in samples.items():
        groups[group_of(symbol)] += count / FREQUENCY / calls * 1e6
    return groups


def main():
    args = parse_args()
    driver = bench_executable("throughput")
    server = subprocess.Popen([driver, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    results = {}
    try:
        base_url = server.stdout.readline().strip()
        if not base_url:
            sys.exit("native_profile.py: the mock did not start")
        with tempfile.TemporaryDirectory(prefix="native-profile-") as folder:
            for endpoint in ("/me", "/auth/time"):
                totals = {client: [collections.Counter(), 0.0] for client in ("typed", "plain")}
                for round_ in range(1, args.rounds + 1):
                    # The order reversed every other round: neither always goes first.
                    order = ("typed", "plain") if round_ % 2 else ("plain", "typed")
                    for client in order:
                        label = f"{client}-{endpoint.strip('/').replace('/', '_')}-{round_}"
                        samples, calls = record(driver, base_url, client, endpoint, args, folder, label)
                        totals[client][0].update(samples)
                        totals[client][1] += calls
                        print(f"  {endpoint:<10} round {round_}/{args.rounds} {client}: "
                              f"{sum(samples.values())} samples, {calls:,.0f} calls", file=sys.stderr)
                typed = per_call(*totals["typed"])
                plain = per_call(*totals["plain"])
                results[endpoint] = {
                    "typed_us_per_call": sum(typed.values()),
                    "plain_us_per_call": sum(plain.values()),
                    "groups": {
                        name: {"typed": typed[name], "plain": plain[name]}
                        for name in typed.keys() | plain.keys()
                    },
                }
    finally:
        server.stdin.close()  # end of input: the mock stops
        server.wait()

    print(f"CPU time per call of the client process, {args.in_flight} calls in flight, "
          f"µs (typed / plain, extra)\n")
    endpoints = list(results)
    print("| where | " + " | ".join(f"`{e}` typed / plain | extra" for e in endpoints) + " |")
    print("|---|" + "---:|---:|" * len(endpoints))
    whole = " | ".join(
        f"{results[e]['typed_us_per_call']:.2f} / {results[e]['plain_us_per_call']:.2f} | "
        f"**{results[e]['typed_us_per_call'] - results[e]['plain_us_per_call']:+.2f}**"
        for e in endpoints
    )
    print(f"| the whole client process | {whole} |")
    names = {name for e in endpoints for name in results[e]["groups"]}
    first = results[endpoints[0]]["groups"]
    for name in sorted(names, key=lambda n: -(first.get(n, {}).get("typed", 0) - first.get(n, {}).get("plain", 0))):
        cells = []
        for e in endpoints:
            group = results[e]["groups"].get(name, {"typed": 0.0, "plain": 0.0})
            cells.append(f"{group['typed']:.2f} / {group['plain']:.2f} | {group['typed'] - group['plain']:+.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")

    out = target_dir() / "bench-results" / "native-profile.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"endpoints": results, "settings": vars(args)}, indent=2) + "\n")
    print(f"\nwritten to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
