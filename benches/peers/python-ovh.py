"""Requests per second of python-ovh against our typed OVH client, on the same mock.

Run through python-ovh.sh beside this file (it makes the virtualenv, builds the
throughput driver and passes --driver); by hand:

    python python-ovh.py --driver PATH/TO/throughput-HASH [--runs R] [--seconds S]
        [--warm-up S] [--threads 1,2,4,8,16,64] [--in-flight 1,64] [--out FILE]

The driver is started with `serve`: the mock in a process of its own, with the fixed OVH
credentials of benches/support/ovh_me.rs (repeated below). Both clients then
call `GET /me` on it, round after round: in each round python-ovh runs once at every
thread count, then the driver measures our typed client once at each in-flight level, and
a plain reqwest loop beside it (`--client typed --client plain --endpoint /me --runs 1
--base-url ...`), so drift in the machine's load hits all three. Plain reqwest with
headers signed once is about the most a client built on it can do: one call at a time,
how far ahead of python-ovh it gets says what the loopback round trip leaves to win.
Figures are medians over the rounds. Beside requests/s, each side's client process CPU
time per call (python-ovh's from os.times(), ours as the driver reports it,
Linux only) is kept: the machine's other load moves it far less than requests/s.

python-ovh signs with its own clock corrected by the server's: its first signed call on a
client reads `/auth/time` and keeps the offset (`Client.time_delta`). Each thread has a
client of its own, as a threaded program would (a `requests.Session` is not documented to
be thread-safe), and makes that first call in the warm-up, before the count starts; only
`/me` calls that return within the timed window are counted. A check before the rounds
confirms, by hooking one client's session, that `/auth/time` is read once and never
again.

python-ovh only knows named endpoints (`ovh-eu`, ...); it looks the name up in
`ovh.client.ENDPOINTS`, so the mock's base URL is added there under a name of its own.

peers.json: {"endpoint": "/me", "rounds": R, "seconds": S,
"python_ovh": {"version", "python", "threads": [ROW + {"threads": n}], "best_threads": n},
"typed": [ROW + {"in_flight": n}], "plain_reqwest": [ROW + {"in_flight": n}], "ratios": {"typed_sequential_over_python_sequential",
"typed_64_in_flight_over_python_best", "python_cpu_per_call_over_typed_sequential"},
"ratios_by_round": {"typed_sequential_over_python_sequential": {"rounds": [...], "median",
"low", "high"}, "plain_reqwest_sequential_over_python_sequential": {...},
"typed_64_in_flight_over_python_best": {...}}}, where ROW is {"runs": [requests/s per round], "median", "min", "max", "cpu_us_per_call":
[per round] or null, "cpu_us_per_call_median"}.

The ratios are taken two ways: of the medians over the rounds, and round by round (our
run over python-ovh's of the same round, a few seconds apart, so that drift in the
machine's load cancels), the latter with its median and a 95% interval that assumes
nothing about how rounds spread: the order statistics of the sign test, as the
throughput bench reports them (min–max up to 8 rounds, 2nd to 2nd-last from 9 to 11, …).

Standard library only, besides `ovh` itself.
"""

import argparse
import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import ovh
import ovh.client

# The credentials the driver's mock accepts: benches/support/ovh_me.rs.
APPLICATION_KEY = "bench-application-key"
APPLICATION_SECRET = "bench-application-secret"
CONSUMER_KEY = "bench-consumer-key"

# The name the mock's base URL is registered under in python-ovh's endpoint table.
ENDPOINT_NAME = "signed-api-bench-mock"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", required=True, help="the throughput bench executable")
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--seconds", type=float, default=3.0, help="timed window of each run")
    parser.add_argument("--warm-up", type=float, default=0.5, help="untimed calls before it")
    parser.add_argument("--threads", default="1,2,4,8,16,64", help="python-ovh thread counts")
    parser.add_argument("--in-flight", default="1,64", help="our client's in-flight levels")
    parser.add_argument("--out", default=None, help="where to write peers.json")
    args = parser.parse_args()
    args.threads = [int(n) for n in args.threads.split(",")]
    args.in_flight = [int(n) for n in args.in_flight.split(",")]
    if args.out is None:
        target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(repo_root(), "target")
        args.out = os.path.join(target, "bench-results", "peers.json")
    return args


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Server:
    """The driver's `serve`: stops when its standard input is closed."""

    def __init__(self, driver):
        self.process = subprocess.Popen(
            [driver, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.base_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http://"):
            self.stop()
            sys.exit("python-ovh.py: the server printed no base URL")

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def new_client():
    return ovh.Client(
        endpoint=ENDPOINT_NAME,
        application_key=APPLICATION_KEY,
        application_secret=APPLICATION_SECRET,
        consumer_key=CONSUMER_KEY,
    )


def check_time_read_once():
    """One client, 21 calls: /auth/time must be requested once, /me 21 times."""
    client = new_client()
    paths = []
    client._session.hooks["response"].append(
        lambda response, *args, **kwargs: paths.append(response.request.path_url)
    )
    for _ in range(21):
        client.get("/me")
    time_reads = sum(1 for path in paths if path.endswith("/auth/time"))
    me_calls = sum(1 for path in paths if path.endswith("/me"))
    if (time_reads, me_calls) != (1, 21):
        sys.exit(f"python-ovh.py: expected 1 /auth/time and 21 /me, saw {paths}")


def cpu_seconds():
    times = os.times()
    return times.user + times.system


def python_rate(threads, warm_up, seconds):
    """/me calls per second with `threads` threads, each looping on its own client, and
    this process's CPU time per call in microseconds."""
    counts = [0] * threads
    failures = []
    stop = threading.Event()
    ready = threading.Barrier(threads + 1)

    def work(slot):
        client = None
        try:
            client = new_client()
            client.get("/me")  # reads /auth/time first: before the count starts
        except Exception as error:  # any failure fails the run (below)
            failures.append(repr(error))
            client = None
        ready.wait()
        while client is not None and not stop.is_set():
            try:
                client.get("/me")
                counts[slot] += 1
            except Exception as error:
                failures.append(repr(error))

    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    ready.wait()
    time.sleep(warm_up)
    start_count, started, start_cpu = sum(counts), time.perf_counter(), cpu_seconds()
    time.sleep(seconds)
    end_count, ended, end_cpu = sum(counts), time.perf_counter(), cpu_seconds()
    stop.set()
    for worker in workers:
        worker.join()
    if failures:
        sys.exit(f"python-ovh.py: {len(failures)} python-ovh calls failed; first: {failures[0]}")
    calls = end_count - start_count
    cpu_per_call = (end_cpu - start_cpu) / calls * 1e6 if calls else None
    return calls / (ended - started), cpu_per_call


def driver_rates(args, base_url):
    """One run of our typed client's /me at each in-flight level, and one of a plain
    reqwest loop beside it (headers signed once: about the most a client built on reqwest
    can do), through the driver: {client: {level: (requests/s, CPU µs per call)}}."""
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "typed.json")
        command = [
            args.driver, "--base-url", base_url, "--client", "typed", "--client", "plain",
            "--endpoint", "/me",
            "--in-flight", ",".join(map(str, args.in_flight)), "--runs", "1",
            "--seconds", str(args.seconds), "--warm-up", str(args.warm_up), "--out", out,
        ]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"python-ovh.py: the driver failed:\n{done.stderr}")
        rates = {"typed": {}, "plain": {}}
        with open(out) as results:
            for m in json.load(results):
                rates[m["client"]][m["in_flight"]] = (
                    m["runs"][0], (m.get("cpu_us_per_call") or [None])[0]
                )
        return rates


def median_interval(values):
    """The median of `values` and a 95% interval for it by the sign test: the k-th values
    from each end, for the largest k with P(Binomial(n, 1/2) < k) <= 2.5% (at least 1)."""
    ordered = sorted(values)
    n = len(ordered)
    k, below, term = 1, 0.0, 0.5 ** n
    for i in range(n):
        below += term
        if below > 0.025:
            break
        k = i + 1
        term *= (n - i) / (i + 1)
    k = min(k, (n + 1) // 2)
    return {"median": statistics.median(ordered), "low": ordered[k - 1], "high": ordered[n - k]}


def by_round(ours, theirs):
    """Our requests/s over theirs, round by round, and their median and interval."""
    rounds = [mine[0] / other[0] for mine, other in zip(ours, theirs)]
    return {"rounds": rounds, **median_interval(rounds)}


def summary(measured):
    """Requests/s and CPU µs per call of each run, and their medians."""
    runs = [rate for rate, _ in measured]
    cpu = [cpu for _, cpu in measured]
    return {
        "runs": runs,
        "median": statistics.median(runs),
        "min": min(runs),
        "max": max(runs),
        "cpu_us_per_call": cpu if None not in cpu else None,
        "cpu_us_per_call_median": statistics.median(cpu) if None not in cpu else None,
    }


def main():
    args = parse_args()
    server = Server(args.driver)
    try:
        ovh.client.ENDPOINTS[ENDPOINT_NAME] = server.base_url
        check_time_read_once()
        python_runs = {threads: [] for threads in args.threads}
        typed_runs = {level: [] for level in args.in_flight}
        plain_runs = {level: [] for level in args.in_flight}
        for round_ in range(1, args.runs + 1):
            for threads in args.threads:
                measured = python_rate(threads, args.warm_up, args.seconds)
                python_runs[threads].append(measured)
                print(f"  round {round_}/{args.runs}  python-ovh {threads:>3} thread(s) "
                      f"{progress(measured)}", file=sys.stderr)
            rates = driver_rates(args, server.base_url)
            for client, runs in (("typed", typed_runs), ("plain", plain_runs)):
                for level, measured in rates[client].items():
                    runs[level].append(measured)
                    print(f"  round {round_}/{args.runs}  {client} {level:>3} in flight    "
                          f"{progress(measured)}", file=sys.stderr)
    finally:
        server.stop()

    ratios_by_round = {}
    if 1 in python_runs and 1 in typed_runs:
        ratios_by_round["typed_sequential_over_python_sequential"] = by_round(
            typed_runs[1], python_runs[1]
        )
        ratios_by_round["plain_reqwest_sequential_over_python_sequential"] = by_round(
            plain_runs[1], python_runs[1]
        )
    python = {threads: summary(runs) for threads, runs in python_runs.items()}
    typed = {level: summary(runs) for level, runs in typed_runs.items()}
    plain = {level: summary(runs) for level, runs in plain_runs.items()}
    best_threads = max(python, key=lambda threads: python[threads]["median"])
    sequential = python[1]["median"] if 1 in python else None
    ratios = {}
    if sequential and 1 in typed:
        ratios["typed_sequential_over_python_sequential"] = typed[1]["median"] / sequential
    if 64 in typed:
        ratios["typed_64_in_flight_over_python_best"] = (
            typed[64]["median"] / python[best_threads]["median"]
        )
        ratios_by_round["typed_64_in_flight_over_python_best"] = by_round(
            typed_runs[64], python_runs[best_threads]
        )
    if 1 in python and 1 in typed and python[1]["cpu_us_per_call_median"] \
            and typed[1]["cpu_us_per_call_median"]:
        ratios["python_cpu_per_call_over_typed_sequential"] = (
            python[1]["cpu_us_per_call_median"] / typed[1]["cpu_us_per_call_median"]
        )
    report = {
        "endpoint": "/me",
        "rounds": args.runs,
        "seconds": args.seconds,
        "python_ovh": {
            "version": importlib.metadata.version("ovh"),
            "python": sys.version.split()[0],
            "threads": [{"threads": t, **python[t]} for t in args.threads],
            "best_threads": best_threads,
        },
        "typed": [{"in_flight": level, **typed[level]} for level in args.in_flight],
        "plain_reqwest": [{"in_flight": level, **plain[level]} for level in args.in_flight],
        "ratios": ratios,
        "ratios_by_round": ratios_by_round,
    }
    print_table(report)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as out:
        json.dump(report, out, indent=2)
        out.write("\n")
    print(f"results written to {args.out}", file=sys.stderr)


def progress(measured):
    rate, cpu = measured
    cpu = f"{cpu:.1f} µs" if cpu is not None else "–"
    return f"{rate:>9.0f} req/s  {cpu} CPU/call"


def cpu_cell(row):
    cpu = row["cpu_us_per_call_median"]
    return f"{cpu:.1f} µs" if cpu is not None else "–"


def print_table(report):
    print(f"GET /me against the mock, medians of {report['rounds']} rounds of "
          f"{report['seconds']:g} s (min–max)\n")
    print("| client | concurrency | requests/s (min–max) | client CPU/call |")
    print("|---|---:|---:|---:|")
    version = report["python_ovh"]["version"]
    for row in report["python_ovh"]["threads"]:
        best = " (best)" if row["threads"] == report["python_ovh"]["best_threads"] else ""
        threads = f"{row['threads']} thread" + ("s" if row["threads"] != 1 else "")
        print(f"| python-ovh {version} | {threads}{best} | "
              f"{row['median']:.0f} ({row['min']:.0f}–{row['max']:.0f}) | {cpu_cell(row)} |")
    for name, key in (("signed-api typed", "typed"), ("plain reqwest", "plain_reqwest")):
        for row in report[key]:
            print(f"| {name} | {row['in_flight']} in flight | "
                  f"{row['median']:.0f} ({row['min']:.0f}–{row['max']:.0f}) | {cpu_cell(row)} |")
    print()
    for name, ratio in report["ratios"].items():
        print(f"{name.replace('_', ' ')}: {ratio:.1f}x")
    for name, ratio in report["ratios_by_round"].items():
        print(f"{name.replace('_', ' ')}, round by round: {ratio['median']:.1f}x "
              f"(95% interval {ratio['low']:.1f}–{ratio['high']:.1f}x, "
              f"{len(ratio['rounds'])} rounds)")


if __name__ == "__main__":
    main()
