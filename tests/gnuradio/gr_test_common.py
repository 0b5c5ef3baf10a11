"""What the example-flowgraph tests share: compile a .grc with grcc, run the compiled
script headless on a recording, check that GRC itself loads a flowgraph, and check that a
missing recording fails cleanly.

Env: CELLSCAN (CLI), CS_SOURCE_DIR; PYTHONPATH with the built gnuradio.cellscan.
"""

import os
import py_compile
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ.get("CS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
GRC_DIR = os.path.join(SOURCE_DIR, "grc")
CELLSCAN = os.environ.get("CELLSCAN", "cellscan")
TIMEOUT_S = 300


def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(args, what, timeout_s=TIMEOUT_S):
    """Run a command; a non-zero exit fails the test, showing its output."""
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout_s)
    if proc.returncode != 0:
        die("%s exited %d: %s\n%s%s" % (what, proc.returncode, " ".join(args), proc.stdout,
                                        proc.stderr))
    return proc


def compile_example(name, out_dir, timeout_s=TIMEOUT_S):
    """examples/NAME.grc compiled with grcc (our blocks from grc/) into out_dir; returns
    the script's path."""
    env = dict(os.environ, GRC_BLOCKS_PATH=GRC_DIR)
    proc = subprocess.run(["grcc", "-o", out_dir, os.path.join(SOURCE_DIR, "examples",
                                                               name + ".grc")],
                          env=env, capture_output=True, text=True, timeout=timeout_s)
    script = os.path.join(out_dir, name + ".py")
    if proc.returncode != 0 or not os.path.isfile(script):
        die("grcc %s.grc failed (exit %d):\n%s%s" % (name, proc.returncode, proc.stdout,
                                                     proc.stderr))
    py_compile.compile(script, doraise=True)
    return script


def run_flowgraph(script, recording, out_path, *extra, timeout_s=TIMEOUT_S):
    """Run a compiled recording example headless; returns the lines it wrote."""
    run([sys.executable, script, "--recording", recording, "--out", out_path] + list(extra),
        "the flowgraph", timeout_s)
    with open(out_path) as f:
        return f.read().splitlines()


def grc_platform():
    """GNU Radio Companion's own platform with its block library, our blocks from grc/
    (set before gnuradio is imported, ahead of the installed ones, like a user's path)."""
    os.environ["GRC_BLOCKS_PATH"] = GRC_DIR
    from gnuradio import gr
    from gnuradio.grc.core.platform import Platform
    platform = Platform(name="cellscan example check", prefs=gr.prefs(), version=gr.version(),
                        version_parts=(gr.major_version(), gr.api_version(),
                                       gr.minor_version()))
    platform.build_library()
    return platform


def check_loads(platform, name):
    """examples/NAME.grc validates in GRC (grcc alone would exit 0 with a broken block)."""
    path = os.path.join(SOURCE_DIR, "examples", name + ".grc")
    flow_graph = platform.make_flow_graph(path)
    flow_graph.rewrite()
    flow_graph.validate()
    errors = [msg for block in flow_graph.blocks for msg in block.get_error_messages()]
    missing = [b.key for b in flow_graph.blocks if b.key == "_dummy"]
    if errors or missing or not flow_graph.is_valid():
        die("%s.grc does not validate in GRC: %s %s" % (name, errors, missing))
    print("%s.grc: %d blocks validate in GRC" % (name, len(flow_graph.blocks)))


def check_missing_recording(script, tmp, name, timeout_s=TIMEOUT_S):
    """A missing recording: non-zero exit, a message naming it, no output file."""
    missing = os.path.join(tmp, "missing.sigmf-meta")
    never = os.path.join(tmp, "never.jsonl")
    proc = subprocess.run([sys.executable, script, "--recording", missing, "--out", never],
                          capture_output=True, text=True, timeout=timeout_s)
    if proc.returncode == 0 or "missing.sigmf-meta" not in proc.stderr + proc.stdout:
        die("a missing recording gave exit %d and no message naming it" % proc.returncode)
    if os.path.exists(never) or os.path.exists(never + ".part"):
        die("a failed run left an output file")
    print("%s: a missing recording fails, naming it, with no output" % name)


def check_examples(names, check_recording):
    """Each examples/NAME.grc loads in GRC and compiles with grcc; then
    check_recording(script of names[0], temporary directory) runs the recording example."""
    platform = grc_platform()
    with tempfile.TemporaryDirectory() as tmp:
        scripts = [None] * len(names)
        for i, name in enumerate(names):
            check_loads(platform, name)
            scripts[i] = compile_example(name, tmp)
            print("%s.grc: compiled with grcc" % name)
        check_recording(scripts[0], tmp)


def run_mode(example, checks, timeout_s=TIMEOUT_S):
    """The command line `SCRIPT MODE`: compiles examples/EXAMPLE.grc into a temporary
    directory and runs checks[MODE](script, that directory)."""
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit("usage: %s %s" % (os.path.basename(sys.argv[0]), "|".join(checks)))
    with tempfile.TemporaryDirectory() as tmp:
        checks[sys.argv[1]](compile_example(example, tmp, timeout_s), tmp)
