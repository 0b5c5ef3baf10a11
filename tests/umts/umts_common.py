"""Helpers of the UMTS scan tests: run the CLI, parse JSON Lines, generate recordings."""
import json
import os
import subprocess
import sys
import tempfile

CELLSCAN = os.environ.get("CELLSCAN", "cellscan")


def run(*args, check=True):
    p = subprocess.run([CELLSCAN, *args], capture_output=True, text=True, timeout=240)
    if check and p.returncode != 0:
        sys.exit(f"FAIL: cellscan {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
    return p


def records(stdout, kind=None):
    out = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return [r for r in out if kind is None or r["type"] == kind]


def synth(tmp, name, *args):
    base = os.path.join(tmp, name)
    run("synth", *args, "-o", base)
    with open(base + ".truth.json") as f:
        return base + ".sigmf-meta", json.load(f)


class Checks:
    def __init__(self):
        self.failed = 0
        self.count = 0

    def check(self, cond, what):
        self.count += 1
        if not cond:
            self.failed += 1
            print("FAIL:", what)

    def done(self):
        print(f"{self.count - self.failed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def tempdir():
    return tempfile.TemporaryDirectory(prefix="cellscan-umts-")
