#!/usr/bin/env python3
"""The UMTS example flowgraphs: each loads in GRC without an error (grcc alone would exit
0 with a broken block) and compiles with grcc; the recording example runs headless on a
generated recording and writes the cells the CLI finds, and on a missing recording fails
with a message naming it and leaves no output. The live UHD example is only compiled.

Env: CELLSCAN (CLI), CS_SOURCE_DIR; PYTHONPATH with the built gnuradio.cellscan.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gr_test_common import (CELLSCAN, check_examples,  # noqa: E402
                            check_missing_recording, die, run, run_flowgraph)

EXAMPLES = ("umts_scan_recording", "umts_scan_live_uhd")


def run_recording_example(script, tmp):
    base = os.path.join(tmp, "synth")
    run([CELLSCAN, "synth", "--umts", "17:-12", "--umts", "300:-16", "--freq",
         "2140e6", "--duration", "0.1", "--seed", "9", "-o", base], "cellscan synth")
    out = os.path.join(tmp, "cells.jsonl")
    records = [json.loads(line) for line in run_flowgraph(script, base + ".sigmf-meta", out)]
    cells = sorted(r["psc"] for r in records if r["type"] == "umts_cell")
    if cells != [17, 300]:
        die("the recording example found PSCs %s, expected [17, 300]" % cells)
    if not all(r["uarfcn"] == 10700 and r["band"] == "UMTS-I" and
               r["file"] == base + ".sigmf-meta" for r in records):
        die("records without UARFCN 10700 (2140 MHz) or the file: %s" % records)
    print("umts_scan_recording: PSCs %s on UARFCN 10700" % cells)

    check_missing_recording(script, tmp, "umts_scan_recording")


def main():
    check_examples(EXAMPLES, run_recording_example)


if __name__ == "__main__":
    main()
