#!/usr/bin/env python3
"""The same recording must give the same GSM carriers from the CLI and from a flowgraph.

Compiles examples/gsm_scan_recording.grc with grcc, runs it headless on each recording and
compares its records with `cellscan scan --standard gsm --format jsonl`: per ARFCN the
same BSIC and the same frame numbers, and every gsm_carrier, gsm_activity and gsm_channel
line byte for byte (the flowgraph feeds the CLI's core object the CLI's way).

  gsm_consistency.py shared     the real GSM recordings of $CS_SHARED_DATA/gsm, the
                                500 kS/s THC recording among them (exit 77 when absent)
  gsm_consistency.py generated  a recording from `$CELLSCAN synth --gsm ...` (two C0s,
                                traffic, a handset), scanned whole and in two 0.25 s spans
                                against `cellscan scan --start/--duration`
Env: CELLSCAN (CLI), CS_SOURCE_DIR, CS_SHARED_DATA; PYTHONPATH with the built package.
"""

import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gr_test_common import CELLSCAN, die, run, run_flowgraph, run_mode  # noqa: E402

THC_500K = "thc_gsm900_941.0MHz_500ksps.sigmf-meta"


def gsm_lines(lines):
    """The CLI's GSM record lines (the flowgraph's own gsm_scan summaries left out)."""
    return [line for line in lines if line.startswith('{"type":"gsm_') and
            not line.startswith('{"type":"gsm_scan"')]


def cli_lines(recording, *extra):
    proc = run([CELLSCAN, "scan", "--standard", "gsm", "--format", "jsonl"] + list(extra) +
               [recording], "cellscan scan")
    return gsm_lines(proc.stdout.splitlines())


def flowgraph_lines(script, recording, out_path, span_s=0.0):
    lines = run_flowgraph(script, recording, out_path, "--span-s", repr(span_s))
    return gsm_lines(lines), [json.loads(line) for line in lines if '"gsm_scan"' in line]


def identities(lines):
    """{ARFCN (or offset): (BSIC, frame numbers)} of the gsm_carrier lines."""
    out = {}
    for r in (json.loads(line) for line in lines):
        if r["type"] == "gsm_carrier":
            key = r["arfcn"] if r["arfcn"] is not None else r["offset_hz"]
            bsic = (r["bsic"]["ncc"], r["bsic"]["bcc"]) if r["bsic"] else None
            out[key] = (bsic, r["frame_numbers"])
    return out


def compare(name, cli, fg):
    """Same BSICs and frame numbers per carrier, then the same lines; returns the number
    of carriers with a BSIC."""
    want, got = identities(cli), identities(fg)
    if sorted(want) != sorted(got):
        die("%s: carriers differ: CLI %s, flowgraph %s" % (name, sorted(want), sorted(got)))
    for key in sorted(want):
        if got[key] != want[key]:
            die("%s: ARFCN %s: flowgraph BSIC %s FNs %s, CLI %s %s" % (
                name, key, got[key][0], got[key][1], want[key][0], want[key][1]))
        if want[key][0]:
            print("%s: ARFCN %s BSIC %d-%d, %d frame numbers from %d, as the CLI" % (
                name, key, want[key][0][0], want[key][0][1], len(want[key][1]),
                want[key][1][0]))
    missing = sorted(set(cli) - set(fg))
    extra = sorted(set(fg) - set(cli))
    if missing or extra or len(cli) != len(fg):
        die("%s: %d lines differ from the CLI's; first CLI-only %s, first flowgraph-only %s"
            % (name, len(missing) + len(extra), missing[:1], extra[:1]))
    print("%s: all %d GSM lines byte-identical to the CLI's" % (name, len(cli)))
    return sum(1 for bsic, _ in want.values() if bsic)


def check_shared(script, tmp):
    data = os.environ.get("CS_SHARED_DATA", "")
    recordings = sorted(glob.glob(os.path.join(data, "gsm", "*.sigmf-meta")))
    if os.path.join(data, "gsm", THC_500K) not in recordings:
        print("skip: %s not found in %r (CS_SHARED_DATA)" % (THC_500K,
                                                            os.path.join(data, "gsm")))
        sys.exit(77)
    for recording in recordings:
        name = os.path.basename(recording)
        fg, scans = flowgraph_lines(script, recording, os.path.join(tmp, "fg.jsonl"))
        n = compare(name, cli_lines(recording), fg)
        if len(scans) != 1:
            die("%s: %d gsm_scan records, expected 1" % (name, len(scans)))
        if name == THC_500K and n != 1:
            die("%s: %d carriers with a BSIC, expected 1 (ARFCN 30)" % (name, n))


def check_generated(script, tmp):
    base = os.path.join(tmp, "synth")
    run([CELLSCAN, "synth", "--gsm", "30:3:5:20", "--gsm", "33:1:2:12", "--traffic",
         "35:2,5:15", "--freq", "941.6e6", "--rate", "2e6", "--cfo", "300", "--duration",
         "0.5", "--seed", "4", "-o", base], "cellscan synth")
    recording = base + ".sigmf-meta"
    fg, scans = flowgraph_lines(script, recording, os.path.join(tmp, "fg.jsonl"))
    if compare("synth whole", cli_lines(recording), fg) != 2:
        die("synth whole: expected BSICs on ARFCNs 30 and 33")
    got = identities(fg)
    if got[30][0] != (3, 5) or got[33][0] != (1, 2):
        die("synth whole: BSICs %s, %s; generated 3-5 and 1-2" % (got[30][0], got[33][0]))
    # two 0.25 s spans against the CLI on the same spans
    fg, scans = flowgraph_lines(script, recording, os.path.join(tmp, "fg_spans.jsonl"), 0.25)
    spans = [(s["t_start_s"], s["t_end_s"]) for s in scans]
    if spans != [(0.0, 0.25), (0.25, 0.5)]:
        die("synth spans: scans %s, expected [0, 0.25) and [0.25, 0.5)" % spans)
    cli = cli_lines(recording, "--duration", "0.25") + cli_lines(
        recording, "--start", "0.25", "--duration", "0.25")
    compare("synth spans", cli, fg)


def main():
    run_mode("gsm_scan_recording", {"shared": check_shared, "generated": check_generated})


if __name__ == "__main__":
    main()
