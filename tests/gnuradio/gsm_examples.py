#!/usr/bin/env python3
"""The GSM example flowgraphs: each loads in GRC without an error (grcc alone would exit
0 with a broken block) and compiles with grcc; the recording example runs headless on a
generated recording and writes the BSIC, frame numbers and traffic timeslot the generator
put in, and on a missing recording fails with a message naming it and leaves no output.
The live UHD example is only compiled.

Env: CELLSCAN (CLI), CS_SOURCE_DIR; PYTHONPATH with the built gnuradio.cellscan.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gr_test_common import (CELLSCAN, check_examples,  # noqa: E402
                            check_missing_recording, die, run, run_flowgraph)

EXAMPLES = ("gsm_scan_recording", "gsm_scan_live_uhd")


def run_recording_example(script, tmp):
    base = os.path.join(tmp, "synth")
    run([CELLSCAN, "synth", "--gsm", "62:5:3:18", "--first-fn", "2000",
         "--traffic", "64:1:14", "--freq", "947.6e6", "--duration", "0.2",
         "--seed", "9", "-o", base], "cellscan synth")
    out = os.path.join(tmp, "gsm.jsonl")
    records = [json.loads(line) for line in run_flowgraph(script, base + ".sigmf-meta", out)]
    c0 = [r for r in records if r["type"] == "gsm_carrier" and r["bsic"]]
    if [(r["arfcn"], r["bsic"]) for r in c0] != [(62, {"ncc": 5, "bcc": 3})]:
        die("the recording example found BSICs %s, expected ARFCN 62 with 5-3" %
            [(r["arfcn"], r["bsic"]) for r in c0])
    fns = c0[0]["frame_numbers"]
    # SCH frames (FN mod 51 in 1, 11, 21, 31, 41) from the generator's FN 2000 on
    if not fns or any(fn % 51 % 10 != 1 or not 2000 <= fn < 2000 + 44 for fn in fns):
        die("frame numbers %s are not SCH frames of the 0.2 s generated" % fns)
    acts = [r for r in records if r["type"] == "gsm_activity"]
    if [(r["arfcn"], r["timeslots"]) for r in acts] != [(64, [1])]:
        die("activity %s, expected ARFCN 64 in timeslot 1" %
            [(r["arfcn"], r["timeslots"]) for r in acts])
    if not all(r["file"] == base + ".sigmf-meta" for r in records):
        die("records without the file: %s" % records[:1])
    print("gsm_scan_recording: ARFCN 62 BSIC 5-3 FNs %s; ARFCN 64 timeslot 1" % fns)

    check_missing_recording(script, tmp, "gsm_scan_recording")


def main():
    check_examples(EXAMPLES, run_recording_example)


if __name__ == "__main__":
    main()
