#!/usr/bin/env python3
"""The same recording must give the same UMTS cells from the CLI and from a flowgraph.

Compiles examples/umts_scan_recording.grc with grcc, runs it headless on each recording
and compares its umts_cell records with `cellscan scan --standard umts --format jsonl`:
the same PSC set, and per cell the same Ec/Io, RSCP, RSSI, frequency error, frame offset
and time span (the flowgraph runs the CLI's code path, so the values must agree to the
CLI's printed precision; the tolerances below only absorb the last printed digit).

  umts_consistency.py shared     the real UMTS recordings of $CS_SHARED_DATA/umts
                                 (exit 77 when absent)
  umts_consistency.py generated  a recording from `$CELLSCAN synth --umts ...` (3 cells,
                                 UMTS-I, 730 Hz receiver offset), searched whole and in
                                 two 0.1 s spans against `cellscan scan --start/--duration`
Env: CELLSCAN (CLI), CS_SOURCE_DIR, CS_SHARED_DATA; PYTHONPATH with the built package.
"""

import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gr_test_common import CELLSCAN, die, run, run_flowgraph, run_mode  # noqa: E402

# Agreement per field: the CLI prints dB with 2 decimals, Hz with 1, chips with 2, s with 6.
TOLERANCE = {"ecio_db": 0.011, "rscp_dbfs": 0.011, "rssi_dbfs": 0.011, "peak_ecio_db": 0.011,
             "freq_error_hz": 0.11, "frame_offset_chips": 0.011, "t_first_s": 2e-6,
             "t_last_s": 2e-6}


def records(lines, kind):
    return [r for r in (json.loads(line) for line in lines if line.strip())
            if r["type"] == kind]


def cli_cells(recording, *extra):
    proc = run([CELLSCAN, "scan", "--standard", "umts", "--format", "jsonl"] + list(extra) +
               [recording], "cellscan scan")
    return proc.stdout.splitlines()


def flowgraph_cells(script, recording, out_path, span_s=0.0):
    return run_flowgraph(script, recording, out_path, "--span-s", repr(span_s))


def compare(name, cli_lines, fg_lines, fg_span=None):
    """Same PSCs, same values; returns the cells compared and how many lines are
    byte-identical."""
    cli = {c["psc"]: c for c in records(cli_lines, "umts_cell")}
    fg = [c for c in records(fg_lines, "umts_cell")
          if fg_span is None or fg_span[0] <= c["t_first_s"] < fg_span[1]]
    fg_by_psc = {c["psc"]: c for c in fg}
    if len(fg_by_psc) != len(fg):
        die("%s: the flowgraph reports a PSC twice: %s" % (name, [c["psc"] for c in fg]))
    if sorted(cli) != sorted(fg_by_psc):
        die("%s: PSCs differ: CLI %s, flowgraph %s" % (name, sorted(cli), sorted(fg_by_psc)))
    if not cli:
        die("%s: no cells found, nothing compared" % name)
    for psc, want in cli.items():
        got = fg_by_psc[psc]
        for key in ("uarfcn", "band", "freq_hz", "offset_hz", "group", "n_paths", "round"):
            if got[key] != want[key]:
                die("%s: PSC %d: %s %r, CLI %r" % (name, psc, key, got[key], want[key]))
        for key, tol in TOLERANCE.items():
            if abs(got[key] - want[key]) > tol:
                die("%s: PSC %d: %s %r, CLI %r (tolerance %g)" % (name, psc, key, got[key],
                                                                   want[key], tol))
        print("%s: PSC %3d  Ec/Io %7.2f dB  ferr %7.1f Hz  frame %9.2f chips  (CLI %7.2f dB "
              "%7.1f Hz %9.2f)" % (name, psc, got["ecio_db"], got["freq_error_hz"],
                                   got["frame_offset_chips"], want["ecio_db"],
                                   want["freq_error_hz"], want["frame_offset_chips"]))
    # both name the file as it was given, so whole lines can be compared
    cli_set = set(cli_lines)
    same = sum(1 for line in fg_lines if line in cli_set and '"umts_cell"' in line)
    return len(cli), same


def check_shared(script, tmp):
    data = os.environ.get("CS_SHARED_DATA", "")
    recordings = sorted(glob.glob(os.path.join(data, "umts", "*.sigmf-meta")))
    if not recordings:
        print("skip: no UMTS recordings in %r (CS_SHARED_DATA)" % os.path.join(data, "umts"))
        sys.exit(77)
    for recording in recordings:
        name = os.path.basename(recording)
        n, same = compare(name, cli_cells(recording),
                          flowgraph_cells(script, recording, os.path.join(tmp, "fg.jsonl")))
        print("%s: %d cells agree, %d of them byte-identical to the CLI's lines" % (name, n, same))
        if same != n:
            die("%s: the same code path must print the same lines" % name)


def check_generated(script, tmp):
    base = os.path.join(tmp, "synth")
    run([CELLSCAN, "synth", "--umts", "100:-14", "--umts", "205:-17", "--umts", "333:-20",
         "--freq", "2112.8e6", "--cfo", "730", "--duration", "0.2", "--seed", "3",
         "-o", base], "cellscan synth")
    recording = base + ".sigmf-meta"
    n, same = compare("synth", cli_cells(recording),
                      flowgraph_cells(script, recording, os.path.join(tmp, "fg.jsonl")))
    if n != 3 or same != n:
        die("synth: %d cells, %d byte-identical; expected 3 and 3" % (n, same))
    print("synth whole: %d cells agree byte for byte" % n)
    # Two 0.1 s spans against the CLI on the same spans (10 frames each: the frame
    # offsets, at t = 0 of the stream, are the CLI's at the span start).
    fg_lines = flowgraph_cells(script, recording, os.path.join(tmp, "fg_spans.jsonl"), 0.1)
    carriers = records(fg_lines, "umts_carrier")
    if [(c["t_start_s"], c["t_end_s"]) for c in carriers] != [(0.0, 0.1), (0.1, 0.2)]:
        die("synth spans: searches %s, expected [0, 0.1) and [0.1, 0.2)" %
            [(c["t_start_s"], c["t_end_s"]) for c in carriers])
    for start_s in (0.0, 0.1):
        cli = cli_cells(recording, "--start", repr(start_s), "--duration", "0.1")
        n, same = compare("synth span %.1f s" % start_s, cli, fg_lines,
                          (start_s, start_s + 0.1))
        if same != n:
            die("synth span %.1f s: %d of %d lines byte-identical" % (start_s, same, n))
        print("synth span %.1f s: %d cells agree byte for byte" % (start_s, n))


def main():
    run_mode("umts_scan_recording", {"shared": check_shared, "generated": check_generated})


if __name__ == "__main__":
    main()
