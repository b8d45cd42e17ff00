"""What the Python bench scripts share: where Cargo puts its output, and a bench's
executable built with `cargo bench`'s profile. Standard library only."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def target_dir():
    """Cargo's target directory, by the rule of benches/support/results.rs:
    `$CARGO_TARGET_DIR` (relative to the workspace root when relative), else `target/`."""
    configured = os.environ.get("CARGO_TARGET_DIR")
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else ROOT / path
    return ROOT / "target"


def bench_executable(name):
    """Builds bench `name` (`cargo bench --bench NAME --no-run`) and returns its
    executable, from Cargo's own report of what it built."""
    command = ["cargo", "bench", "--bench", name, "--no-run", "--message-format=json"]
    print("$ " + " ".join(command), file=sys.stderr)
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, check=True, text=True)
    for line in done.stdout.splitlines():
        message = json.loads(line)
        if (
            message.get("reason") == "compiler-artifact"
            and message["target"]["name"] == name
            and message.get("executable")
        ):
            return message["executable"]
    sys.exit(f"cargo built no {name} executable")
