#!/usr/bin/env python3
"""CPU instructions per signature and per whole client call, counted by callgrind.

    python3 benches/instructions.py [--quick]

Instruction counts do not depend on the machine's load or frequency, so a change of a few
hundred instructions is visible. Two runs of one build give the same figures to the
instruction for OVH, Armor and SigV4, and within a few instructions for the calls and for
nOps (whose signature cache is a HashMap with random hash keys); Qredo's RSA signature
draws random numbers and varies by about 0.01%.

Method: the difference of two run lengths, each collected only where it counts.
`benches/per_call.rs` is built with `cargo bench --bench per_call --no-run`, then run
under `valgrind --tool=callgrind` twice per case, with N and N + extra iterations.
Callgrind collects only inside the driver's `counted` function
(`--collect-atstart=no --toggle-collect=per_call::counted`), which holds the loop of
counted operations and nothing else: process start, key loading, the runtime, the first
connection and the warm-up calls are not collected at all. That matters: loading the
RSA key and making nOps' first (RSA) signature vary by about a million instructions from
run to run (the RSA code draws random numbers), hundreds of times what a cached nOps
signature costs. What a collected run
still pays besides its operations (entering the loop, the runtime's `block_on`) is the
same at both lengths, so

    instructions per operation = (Ir(N + extra) - Ir(N)) / extra

counts the operations and nothing else. The mock server the calls go to runs as a
separate process (`per_call serve`), never under callgrind, so none of its work counts.

Cases: the signing requests of `benches/signing.rs` (`benches/support/signing.rs`), and
`GET /me` made by the typed OVH client, by plain reqwest with headers signed once, and
by plain reqwest with a whole-request timeout (the typed client always sets one, so this
row shows how much of the difference is reqwest's timer), all on a current-thread tokio
runtime (`benches/support/calls.rs`).

Breakdown of the typed client's extra instructions: the same difference, function by
function. `callgrind_annotate` gives each function's inclusive cost (itself and what it
calls) and its self cost in each of the four call runs (typed and plain, N and
N + extra); a function's cost per call is its difference between the two lengths divided
by the extra calls, and its extra cost is typed minus plain. Inclusive figures nest (a
caller includes its callees), so they show where in the call tree the extra goes and do
not add up; self figures add up to the extra total. Names are as callgrind demangles
them; inlined functions count in their caller.

Results go to `bench-results/` in Cargo's target directory: `$CARGO_TARGET_DIR` when it
is set, `target/` under the workspace root otherwise (the rule of
`benches/support/results.rs`):

- `instructions.json`:
  `{"signing": {"ovh": 12345, ...}, "call": {"typed": n, "plain": n, "plain_timeout": n,
  "extra": n, "ratio": r}, "iterations": {...}}`, instructions per operation as integers
  (`extra` is typed minus plain, `ratio` typed over plain);
- `instructions-call-breakdown.txt`: the top functions of the typed client's extra
  instructions per call, inclusive and self.

`--quick` runs fewer iterations (a check that everything works, not figures to keep).
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from cargo_bench import bench_executable, target_dir

SIGNING_CASES = ["ovh", "armor", "armor_get", "nops_cached", "sigv4_get", "sigv4_put_1kib", "qredo_rsa2048"]
CALL_SIDES = ["typed", "plain", "plain_timeout"]

# (N, extra) per kind of case: enough extra operations that a stray instruction or two in
# the start-up vanish in the division, few enough that a run under callgrind stays short.
LENGTHS = {"sign": (1000, 1000), "sign_rsa": (20, 50), "call": (100, 200)}
QUICK_LENGTHS = {"sign": (10, 20), "sign_rsa": (2, 3), "call": (5, 10)}

TOP = 40


def build_driver():
    """Builds the driver with cargo bench's profile and returns its executable."""
    return bench_executable("per_call")


def callgrind(driver, args, out_dir):
    """Runs the driver under callgrind; returns the profile's path and its total Ir."""
    out = Path(out_dir) / ("callgrind." + "_".join(args[:3]).replace("/", "_"))
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=" + str(out),
        "--collect-atstart=no",
        "--toggle-collect=per_call::counted",
        driver,
        *args,
    ]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return out, int(line.split()[1])
    sys.exit(f"no total in {out}")


def per_op(driver, args_for, lengths, out_dir):
    """Instructions per operation, and the two profiles, for a case run at two lengths."""
    n, extra = lengths
    short, short_ir = callgrind(driver, args_for(n), out_dir)
    long, long_ir = callgrind(driver, args_for(n + extra), out_dir)
    return (long_ir - short_ir) / extra, (short, long)


ANNOTATE_LINE = re.compile(r"^\s*([\d,]+)\s+(.*)$")


def function_costs(profile, inclusive):
    """Each function's Ir in a callgrind profile, as callgrind_annotate totals it."""
    command = [
        "callgrind_annotate",
        "--inclusive=" + ("yes" if inclusive else "no"),
        "--threshold=100",
        "--show-percs=no",
        "--auto=no",
        str(profile),
    ]
    done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True, errors="replace")
    costs = {}
    in_functions = False
    for line in done.stdout.splitlines():
        if "PROGRAM TOTALS" in line:
            in_functions = True
            continue
        match = ANNOTATE_LINE.match(line) if in_functions else None
        if match:
            name = re.sub(r" \[[^\]]*\]$", "", match.group(2))  # the object file
            name = re.sub(r"^\?\?\?:", "", name)  # no file without debug information
            costs[name] = costs.get(name, 0) + int(match.group(1).replace(",", ""))
    return costs


def per_call_costs(profiles, extra, inclusive):
    short, long = (function_costs(profile, inclusive) for profile in profiles)
    return {name: (long.get(name, 0) - short.get(name, 0)) / extra for name in long.keys() | short.keys()}


def shorten(name, width=110):
    return name if len(name) <= width else name[: width - 1] + "…"


def breakdown(profiles, extra, totals):
    """The text of instructions-call-breakdown.txt."""
    lines = [
        "Where the typed OVH client's extra instructions per GET /me go (typed minus plain",
        "reqwest), by function. Each figure is a per-call difference between runs of",
        f"{LENGTHS['call'][0]} and {sum(LENGTHS['call'])} calls (see benches/instructions.py).",
        "",
        f"Per call: typed {totals['typed']:,.0f}, plain {totals['plain']:,.0f}, "
        f"extra {totals['typed'] - totals['plain']:,.0f} instructions.",
    ]
    for inclusive, title, note in [
        (
            True,
            "Inclusive (the function and everything it calls; nested, so they do not add up;\n"
            "the callers of the whole loop, which carry the whole difference, left out)",
            "",
        ),
        (False, "Self (instructions executed in the function itself; these add up)", ""),
    ]:
        typed = per_call_costs(profiles["typed"], extra, inclusive)
        plain = per_call_costs(profiles["plain"], extra, inclusive)
        extra_by_function = {name: typed.get(name, 0) - plain.get(name, 0) for name in typed.keys() | plain.keys()}
        if inclusive:
            # The callers of the whole loop (main, block_on, ...) run on both sides and
            # carry the whole difference: they say nothing about where it goes.
            whole = totals["typed"] - totals["plain"]
            extra_by_function = {
                name: cost
                for name, cost in extra_by_function.items()
                if not (plain.get(name, 0) > 0 and abs(cost - whole) <= 0.01 * abs(whole))
            }
        top = sorted(extra_by_function.items(), key=lambda item: -item[1])[:TOP]
        lines += ["", title, "", f"{'extra':>9} {'typed':>9} {'plain':>9}  function"]
        for name, cost in top:
            lines.append(f"{cost:>9,.0f} {typed.get(name, 0):>9,.0f} {plain.get(name, 0):>9,.0f}  {shorten(name)}")
        if not inclusive:
            saved = sorted(extra_by_function.items(), key=lambda item: item[1])[:5]
            lines += ["", "Fewer in the typed client than in plain reqwest (self):", ""]
            for name, cost in saved:
                lines.append(f"{cost:>9,.0f} {typed.get(name, 0):>9,.0f} {plain.get(name, 0):>9,.0f}  {shorten(name)}")
    return "\n".join(lines) + "\n"


def main():
    global LENGTHS
    if "--quick" in sys.argv[1:]:
        LENGTHS = QUICK_LENGTHS
    driver = build_driver()
    results_dir = target_dir() / "bench-results"
    results_dir.mkdir(parents=True, exist_ok=True)

    signing = {}
    with tempfile.TemporaryDirectory(prefix="per-call-") as out_dir:
        for case in SIGNING_CASES:
            lengths = LENGTHS["sign_rsa" if "rsa" in case else "sign"]
            signing[case], _ = per_op(driver, lambda n: ["sign", case, str(n)], lengths, out_dir)
            print(f"sign {case}: {signing[case]:,.0f}", file=sys.stderr)

        server = subprocess.Popen([driver, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            base_url = server.stdout.readline().strip()
            if not base_url:
                sys.exit("the mock did not start")
            calls, profiles = {}, {}
            for side in CALL_SIDES:
                calls[side], profiles[side] = per_op(
                    driver, lambda n: ["call", side, str(n), base_url], LENGTHS["call"], out_dir
                )
                print(f"call {side}: {calls[side]:,.0f}", file=sys.stderr)
        finally:
            server.stdin.close()  # end of input: the server stops
            server.wait()
        text = breakdown(profiles, LENGTHS["call"][1], calls)

    extra = calls["typed"] - calls["plain"]
    ratio = calls["typed"] / calls["plain"]
    print("| signing          | instructions/op |")
    print("|------------------|----------------:|")
    for case, count in signing.items():
        print(f"| {case:<16} | {count:>15,.0f} |")
    print()
    print("| GET /me call          | instructions/call |")
    print("|-----------------------|------------------:|")
    for side in CALL_SIDES:
        print(f"| {side:<21} | {calls[side]:>17,.0f} |")
    print(f"| extra (typed - plain) | {extra:>17,.0f} |")
    print(f"| ratio (typed / plain) | {ratio:>17.2f} |")

    results = {
        "signing": {case: round(count) for case, count in signing.items()},
        "call": {**{side: round(calls[side]) for side in CALL_SIDES}, "extra": round(extra), "ratio": round(ratio, 3)},
        "iterations": {kind: {"n": n, "extra": more} for kind, (n, more) in LENGTHS.items()},
    }
    (results_dir / "instructions.json").write_text(json.dumps(results, indent=2) + "\n")
    (results_dir / "instructions-call-breakdown.txt").write_text(text)
    print(f"\nwritten to {results_dir / 'instructions.json'} and instructions-call-breakdown.txt")


if __name__ == "__main__":
    main()
