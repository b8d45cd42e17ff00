#!/usr/bin/env python3
"""Draws BENCHMARKS.md's charts from the benches' own output, so no figure is typed in.

Reads, under the target directory ($CARGO_TARGET_DIR, else ./target):
  criterion/sign/<case>/new/estimates.json   `cargo bench --bench signing -- sign/`
  bench-results/throughput.json             `cargo bench --bench throughput`
  bench-results/throughput-paired.json      (the same run's sequential paired reading)
and writes docs/img/signing.svg and docs/img/throughput.svg. Standard library only: the
SVG is written by hand (a few rectangles, lines and labels), so the script runs anywhere
Python 3 does.

    python3 benches/charts/make_charts.py                # both charts
    python3 benches/charts/make_charts.py throughput     # only the one named (or signing)

Naming one chart redraws it alone, so that a chart whose bench was not run again keeps
the figures of its own sitting.
"""

import json
import math
import statistics
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cargo_bench import ROOT, target_dir  # noqa: E402 (benches/, added just above)

TARGET = target_dir()
OUT = ROOT / "docs" / "img"

# The signing cases, in the order shown, with the bar each is held to (ns; None: no bar).
SIGNING = [
    ("nops_cached", "nOps (signature cached for the day)", 200),
    ("ovh", "OVH (SHA-1)", 1000),
    ("armor_get", "Armor, GET (HMAC-SHA512)", 2000),
    ("armor", "Armor, POST 70 B", 2000),
    ("sigv4_get", "SigV4, GET (HMAC-SHA256)", 2000),
    ("sigv4_put_1kib", "SigV4, PUT 1 KiB", None),
    ("qredo_rsa2048", "Qredo (RSA-2048)", None),
]

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'
BLUE, GREY, RED, INK = "#2f6fb0", "#9aa5b1", "#c0392b", "#222"


def human_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def text(x, y, content, size=12, anchor="start", weight="normal", fill=INK):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}" {FONT}>{escape(content)}</text>'
    )


def svg(width, height, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">\n'
        f'<rect width="{width}" height="{height}" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n"
    )


def criterion_median(group, case):
    path = TARGET / "criterion" / group / case / "new" / "estimates.json"
    if not path.exists():
        return None
    median = json.loads(path.read_text())["median"]
    bounds = median["confidence_interval"]
    return median["point_estimate"], bounds["lower_bound"], bounds["upper_bound"]


def signing_chart():
    rows = [(label, bar, criterion_median("sign", case)) for case, label, bar in SIGNING]
    rows = [(label, bar, m) for label, bar, m in rows if m is not None]
    if not rows:
        return None
    left, right, top, row_h = 250, 150, 50, 34
    width = 900
    plot_w = width - left - right
    height = top + row_h * len(rows) + 50
    lo, hi = 50.0, max(m[2] for _, _, m in rows) * 1.5
    span = math.log10(hi) - math.log10(lo)

    def x(ns):
        return left + plot_w * (math.log10(max(ns, lo)) - math.log10(lo)) / span

    body = [text(12, 24, "What signing adds to a request (median, 95% interval; log scale)", 15, weight="bold")]
    decade = 10 ** math.ceil(math.log10(lo))
    while decade <= hi:
        gx = x(decade)
        body.append(f'<line x1="{gx:.1f}" y1="{top - 8}" x2="{gx:.1f}" y2="{height - 40}" stroke="#e3e6ea"/>')
        body.append(text(gx, height - 24, human_ns(decade).replace(".00", ""), 11, "middle", fill="#555"))
        decade *= 10
    for i, (label, bar, (median, low, high)) in enumerate(rows):
        y = top + i * row_h
        body.append(text(left - 10, y + 17, label, 12, "end"))
        body.append(f'<rect x="{left}" y="{y + 5}" width="{x(median) - left:.1f}" height="{row_h - 12}" fill="{BLUE}"/>')
        body.append(f'<line x1="{x(low):.1f}" y1="{y + row_h / 2 - 1}" x2="{x(high):.1f}" y2="{y + row_h / 2 - 1}" stroke="{INK}"/>')
        if bar is not None:
            bx = x(bar)
            body.append(f'<line x1="{bx:.1f}" y1="{y + 1}" x2="{bx:.1f}" y2="{y + row_h - 3}" stroke="{RED}" stroke-width="2" stroke-dasharray="3,2"/>')
        verdict = "" if bar is None else ("  (bar met)" if median <= bar else "  (over the bar)")
        label_x = max(x(median), x(high), x(bar) if bar is not None else 0) + 8
        body.append(text(label_x, y + 17, human_ns(median) + verdict, 11))
    body.append(text(left, height - 6, "Red dashes: the bar each scheme is held to.", 11, fill=RED))
    return svg(width, height, body)


def throughput_chart():
    path = TARGET / "bench-results" / "throughput.json"
    if not path.exists():
        return None
    cases = json.loads(path.read_text())
    if isinstance(cases, dict):
        cases = cases.get("cases", [])
    levels = sorted({c["in_flight"] for c in cases})
    endpoints = sorted({c["endpoint"] for c in cases}, key=lambda e: e != "/me")
    clients = ["typed", "plain"]
    colours = {"typed": BLUE, "plain": GREY}
    by_key = {(c["client"], c["endpoint"], c["in_flight"]): c for c in cases}
    paired_path = TARGET / "bench-results" / "throughput-paired.json"
    paired = {}
    if paired_path.exists():
        paired = {p["endpoint"]: p for p in json.loads(paired_path.read_text())}
    groups = [(level, endpoint) for level in levels for endpoint in endpoints]

    left, top, bottom = 70, 60, 80
    bar_w, gap = 34, 30
    group_w = bar_w * len(clients) + gap
    width = left + group_w * len(groups) + 40
    height = 420
    plot_h = height - top - bottom
    peak = max(c["max"] for c in cases) * 1.1

    def y(value):
        return top + plot_h * (1 - value / peak)

    body = [
        text(12, 24, "Calls per second against the same local server (median of runs, min–max)", 15, weight="bold"),
        text(12, 42, "typed: the signed-api OVH client; plain: reqwest alone (headers signed once for /me)", 11, fill="#555"),
    ]
    step = 10 ** math.floor(math.log10(peak / 2))
    tick = 0
    while tick <= peak:
        body.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - 20}" y2="{y(tick):.1f}" stroke="#e3e6ea"/>')
        body.append(text(left - 6, y(tick) + 4, f"{tick:,.0f}", 10, "end", fill="#555"))
        tick += step * (2 if peak / step > 10 else 1)
    for g, (level, endpoint) in enumerate(groups):
        gx = left + 10 + g * group_w
        plain = by_key.get(("plain", endpoint, level))
        for b, client in enumerate(clients):
            case = by_key.get((client, endpoint, level))
            if case is None:
                continue
            bx = gx + b * bar_w
            body.append(f'<rect x="{bx}" y="{y(case["median"]):.1f}" width="{bar_w - 4}" height="{y(0) - y(case["median"]):.1f}" fill="{colours[client]}"/>')
            mid = bx + (bar_w - 4) / 2
            body.append(f'<line x1="{mid}" y1="{y(case["min"]):.1f}" x2="{mid}" y2="{y(case["max"]):.1f}" stroke="{INK}"/>')
        typed = by_key.get(("typed", endpoint, level))
        if typed and plain:
            # The steadiest reading of typed ÷ plain the run gives: one call at a time the
            # paired one, else the median of the run-by-run ratios, else that of the medians.
            if level == 1 and endpoint in paired:
                ratio = paired[endpoint]["median"]
            elif typed.get("ratios_to_plain"):
                ratio = statistics.median(typed["ratios_to_plain"])
            else:
                ratio = typed["median"] / plain["median"]
            body.append(text(gx + bar_w - 2, y(max(typed["max"], plain["max"])) - 6, f"{ratio:.2f}×", 11, "middle", "bold"))
        label = "sequential" if level == 1 else f"{level} in flight"
        body.append(text(gx + bar_w - 2, y(0) + 16, endpoint, 11, "middle"))
        body.append(text(gx + bar_w - 2, y(0) + 31, label, 11, "middle", fill="#555"))
    legend_y = height - 30
    for i, client in enumerate(clients):
        lx = left + i * 120
        body.append(f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{colours[client]}"/>')
        body.append(text(lx + 18, legend_y, client, 12))
    body.append(text(left + 250, legend_y, "above each pair: typed ÷ plain, the median of", 11, fill="#555"))
    body.append(text(left + 250, legend_y + 15, "run-by-run ratios (sequential: call by call); the bar is 0.95×", 11, fill="#555"))
    return svg(width, height, body)


def main():
    charts = {"signing": signing_chart, "throughput": throughput_chart}
    wanted = sys.argv[1:] or list(charts)
    unknown = [name for name in wanted if name not in charts]
    if unknown:
        print(f"unknown chart {unknown[0]!r}: signing or throughput", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    made = 0
    for name, chart in ((f"{name}.svg", charts[name]()) for name in wanted):
        if chart is None:
            print(f"skipped {name}: its bench output is not under {TARGET}", file=sys.stderr)
            continue
        (OUT / name).write_text(chart, encoding="utf-8")
        print(f"wrote {OUT / name}")
        made += 1
    return 0 if made else 1


if __name__ == "__main__":
    sys.exit(main())
