#!/usr/bin/env python3
"""The GSM example flowgraphs: each loads in GRC without an error (grcc alone would exit
0 with a broken block) and compiles with grcc; the recording example runs headless on a
generated recording and writes the BSIC, frame numbers and traffic timeslot the generator
put in, and on a missing recording fails with a message naming it and leaves no output. The live UHD example is only compiled.

Env: CELLSCAN (CLI), CS_SOURCE_DIR; PYTHONPATH with the built gnuradio.cellscan.
"""

import json
import os
import py_compile
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ.get("CS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
GRC_DIR = os.path.join(SOURCE_DIR, "grc")
EXAMPLES = ("gsm_scan_recording", "gsm_scan_live_uhd")
CELLSCAN = os.environ.get("CELLSCAN", "cellscan")
TIMEOUT_S = 300
os.environ["GRC_BLOCKS_PATH"] = GRC_DIR

from gnuradio import gr  # noqa: E402
from gnuradio.grc.core.platform import Platform  # noqa: E402


def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_loads(platform, name):
    path = os.path.join(SOURCE_DIR, "examples", name + ".grc")
    flow_graph = platform.make_flow_graph(path)
    flow_graph.rewrite()
    flow_graph.validate()
    errors = [msg for block in flow_graph.blocks for msg in block.get_error_messages()]
    missing = [b.key for b in flow_graph.blocks if b.key == "_dummy"]
    if errors or missing or not flow_graph.is_valid():
        die("%s.grc does not validate in GRC: %s %s" % (name, errors, missing))
    print("%s.grc: %d blocks validate in GRC" % (name, len(flow_graph.blocks)))


def compile_example(name, out_dir):
    proc = subprocess.run(["grcc", "-o", out_dir, os.path.join(SOURCE_DIR, "examples",
                                                               name + ".grc")],
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    script = os.path.join(out_dir, name + ".py")
    if proc.returncode != 0 or not os.path.isfile(script):
        die("grcc %s.grc failed (exit %d):\n%s%s" % (name, proc.returncode, proc.stdout,
                                                     proc.stderr))
    py_compile.compile(script, doraise=True)
    print("%s.grc: compiled with grcc" % name)
    return script


def run_recording_example(script, tmp):
    base = os.path.join(tmp, "synth")
    subprocess.run([CELLSCAN, "synth", "--gsm", "62:5:3:18", "--first-fn", "2000",
                    "--traffic", "64:1:14", "--freq", "947.6e6", "--duration", "0.2",
                    "--seed", "9", "-o", base],
                   check=True, capture_output=True, timeout=TIMEOUT_S)
    out = os.path.join(tmp, "gsm.jsonl")
    proc = subprocess.run([sys.executable, script, "--recording", base + ".sigmf-meta",
                           "--out", out], capture_output=True, text=True, timeout=TIMEOUT_S)
    if proc.returncode != 0:
        die("the recording example exited %d:\n%s%s" % (proc.returncode, proc.stdout,
                                                         proc.stderr))
    with open(out) as f:
        records = [json.loads(line) for line in f]
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

    missing = os.path.join(tmp, "missing.sigmf-meta")
    never = os.path.join(tmp, "never.jsonl")
    proc = subprocess.run([sys.executable, script, "--recording", missing, "--out", never],
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    if proc.returncode == 0 or "missing.sigmf-meta" not in proc.stderr + proc.stdout:
        die("a missing recording gave exit %d and no message naming it" % proc.returncode)
    if os.path.exists(never) or os.path.exists(never + ".part"):
        die("a failed run left an output file")
    print("gsm_scan_recording: a missing recording fails, naming it, with no output")


def main():
    platform = Platform(name="cellscan example check", prefs=gr.prefs(), version=gr.version(),
                        version_parts=(gr.major_version(), gr.api_version(),
                                       gr.minor_version()))
    platform.build_library()
    with tempfile.TemporaryDirectory() as tmp:
        scripts = {}
        for name in EXAMPLES:
            check_loads(platform, name)
            scripts[name] = compile_example(name, tmp)
        run_recording_example(scripts["gsm_scan_recording"], tmp)


if __name__ == "__main__":
    main()
