#!/usr/bin/python3
"""Bad inputs to `cellscan info`: each case builds one broken recording in a fresh
directory and checks that cellscan refuses it properly:
  - exit status 1 (not a crash, not a usage error), within a timeout (no hang),
  - exactly one line on stderr: "cellscan: <path as given>: <specific problem>",
  - nothing on stdout,
  - the directory unchanged afterwards (no output or temporary file left behind);
and that a command writing a file (`cellscan spectrum -o result.out`, when available)
refuses it the same way without leaving result.out or a temporary file.

usage: badinput.py CASE            run one case (ctest runs each as badinput_CASE)
       badinput.py --check-list CASE...   the registered cases must be exactly the defined ones
Environment: CELLSCAN (path of the cellscan binary).
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def put(d, name, content):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode())
    return name


def meta_obj(datatype="ci16_le", rate=1e6, extra_global=None, captures=None, annotations=None):
    g = {"core:datatype": datatype, "core:sample_rate": rate, "core:version": "1.2.0"}
    g.update(extra_global or {})
    return {"global": g, "captures": captures if captures is not None else [{"core:sample_start": 0}],
            "annotations": annotations or []}


def pair(d, meta, data_bytes=1000, name="rec"):
    """A recording: meta (dict or raw text) plus a data file of data_bytes zero bytes."""
    put(d, name + ".sigmf-meta", meta if isinstance(meta, str) else json.dumps(meta, indent=2))
    if data_bytes is not None:
        put(d, name + ".sigmf-data", bytes(data_bytes))
    return name + ".sigmf-meta"


def with_global(**kw):
    """A meta dict whose global gets the given key/values (None removes a key)."""
    m = meta_obj()
    for k, v in kw.items():
        key = "core:" + k
        if v is None:
            m["global"].pop(key, None)
        else:
            m["global"][key] = v
    return m


# Each case returns (args, path shown in the message, expected message fragment).

@case
def missing_meta(d):
    put(d, "rec.sigmf-data", bytes(400))
    return ["rec.sigmf-data"], "rec.sigmf-data", \
        "cannot open metadata file rec.sigmf-meta: No such file or directory"


@case
def missing_data(d):
    p = pair(d, meta_obj(), data_bytes=None)
    return [p], p, "cannot open data file rec.sigmf-data: No such file or directory"


@case
def invalid_json(d):
    text = '{\n  "global": {\n    "core:datatype": "ci16_le",,\n  }\n}\n'
    p = pair(d, text)
    return [p], p, "invalid JSON in rec.sigmf-meta at line 3, column"


@case
def duplicate_key(d):
    p = pair(d, '{"global": {"core:datatype": "ci16_le", "core:datatype": "cf32_le"}}')
    return [p], p, "duplicate object key"


@case
def empty_meta(d):
    p = pair(d, "")
    return [p], p, "metadata file rec.sigmf-meta is empty"


@case
def toplevel_not_object(d):
    p = pair(d, "[1, 2, 3]")
    return [p], p, "rec.sigmf-meta is an array, not a SigMF metadata object"


@case
def missing_global(d):
    p = pair(d, {"captures": [], "annotations": []})
    return [p], p, 'the "global" object is missing'


@case
def missing_datatype(d):
    p = pair(d, with_global(datatype=None))
    return [p], p, "global: core:datatype is missing"


@case
def missing_sample_rate(d):
    p = pair(d, with_global(sample_rate=None))
    return [p], p, "global: core:sample_rate is missing"


@case
def datatype_not_string(d):
    p = pair(d, with_global(datatype=16))
    return [p], p, "global: core:datatype must be a string (got an integer)"


@case
def unknown_datatype(d):
    p = pair(d, with_global(datatype="ci12_le"))
    return [p], p, "global: core:datatype 'ci12_le' is unknown"


@case
def real_datatype(d):
    p = pair(d, with_global(datatype="rf32_le"))
    return [p], p, "core:datatype 'rf32_le' is not supported: real-valued samples"


@case
def rate_negative(d):
    p = pair(d, with_global(sample_rate=-5))
    return [p], p, "global: core:sample_rate must be above 0 and below 1e11 Hz (got -5)"


@case
def rate_zero(d):
    p = pair(d, with_global(sample_rate=0))
    return [p], p, "core:sample_rate must be above 0 and below 1e11 Hz (got 0)"


@case
def rate_huge(d):
    p = pair(d, with_global(sample_rate=1e12))
    return [p], p, "core:sample_rate must be above 0 and below 1e11 Hz (got 1e+12)"


@case
def rate_string(d):
    p = pair(d, with_global(sample_rate="1e6"))
    return [p], p, "global: core:sample_rate must be a number (got a string)"


@case
def rate_overflow(d):
    text = json.dumps(meta_obj(), indent=2).replace("1000000.0", "1e999")
    p = pair(d, text)
    return [p], p, "real number overflow"


@case
def version_unsupported(d):
    p = pair(d, with_global(version="2.1.0"))
    return [p], p, "core:version 2.1.0 is not supported"


@case
def num_channels_zero(d):
    p = pair(d, with_global(num_channels=0))
    return [p], p, "global: core:num_channels must be 1 to 64 (got 0)"


@case
def num_channels_huge(d):
    p = pair(d, with_global(num_channels=100000))
    return [p], p, "core:num_channels must be 1 to 64 (got 100000)"


@case
def metadata_only(d):
    p = pair(d, with_global(metadata_only=True))
    return [p], p, "core:metadata_only is true"


@case
def dataset_outside_dir(d):
    p = pair(d, with_global(dataset="../../etc/passwd"))
    return [p], p, "core:dataset must be the name of a file beside the metadata"


@case
def size_not_multiple(d):
    p = pair(d, meta_obj(), data_bytes=1003)
    return [p], p, "data file size 1003 bytes is not a multiple of 4 bytes per ci16_le sample"


@case
def size_not_multiple_channels(d):
    p = pair(d, with_global(num_channels=2), data_bytes=12)
    return [p], p, "data file size 12 bytes is not a multiple of 8 bytes per frame (2 channels of ci16_le)"


@case
def empty_data(d):
    p = pair(d, meta_obj(), data_bytes=0)
    return [p], p, "data file is empty"


@case
def header_bytes_beyond_file(d):
    p = pair(d, meta_obj(captures=[{"core:sample_start": 0, "core:header_bytes": 100}]), data_bytes=40)
    return [p], p, "data file size 40 bytes is smaller than its 100 header and 0 trailing bytes"


@case
def captures_not_array(d):
    m = meta_obj()
    m["captures"] = {"core:sample_start": 0}
    p = pair(d, m)
    return [p], p, "captures must be an array (got an object)"


@case
def captures_unordered(d):
    caps = [{"core:sample_start": 0}, {"core:sample_start": 50}, {"core:sample_start": 10}]
    p = pair(d, meta_obj(captures=caps))
    return [p], p, "captures[2]: core:sample_start 10 is not after captures[1] (50)"


@case
def capture_beyond_data(d):
    caps = [{"core:sample_start": 0}, {"core:sample_start": 5000}]
    p = pair(d, meta_obj(captures=caps))
    return [p], p, "captures[1]: core:sample_start 5000 is beyond the end of the data (250 samples)"


@case
def annotation_beyond_data(d):
    anns = [{"core:sample_start": 200, "core:sample_count": 100}]
    p = pair(d, meta_obj(annotations=anns))
    return [p], p, "core:sample_count 100 runs past the end of the data (250 samples)"


@case
def sample_start_negative(d):
    p = pair(d, meta_obj(captures=[{"core:sample_start": -1}]))
    return [p], p, "captures[0]: core:sample_start must be a non-negative integer (got -1)"


@case
def sample_start_fraction(d):
    p = pair(d, meta_obj(captures=[{"core:sample_start": 0}, {"core:sample_start": 1.5}]))
    return [p], p, "captures[1]: core:sample_start must be a non-negative integer (got 1.5)"


@case
def sample_start_huge(d):
    text = json.dumps(meta_obj(annotations=[{"core:sample_start": 7}]))
    p = pair(d, text.replace('"core:sample_start": 7', '"core:sample_start": 99999999999999999999999'))
    return [p], p, "too big integer"


@case
def annotation_no_start(d):
    p = pair(d, meta_obj(annotations=[{"core:sample_count": 5, "core:label": "x"}]))
    return [p], p, "annotations[0]: core:sample_start is missing"


@case
def annotation_one_edge(d):
    p = pair(d, meta_obj(annotations=[{"core:sample_start": 1, "core:freq_upper_edge": 9e8}]))
    return [p], p, "annotations[0]: core:freq_lower_edge and core:freq_upper_edge must be given together"


@case
def frequency_huge(d):
    p = pair(d, meta_obj(captures=[{"core:sample_start": 0, "core:frequency": 1e15}]))
    return [p], p, "captures[0]: core:frequency 1e+15 Hz is beyond 1e12 Hz"


@case
def bad_datetime(d):
    p = pair(d, meta_obj(captures=[{"core:sample_start": 0, "core:datetime": "2024-13-01T00:00:00Z"}]))
    return [p], p, "captures[0]: core:datetime '2024-13-01T00:00:00Z' is not an RFC 3339 UTC time"


@case
def bad_geolocation(d):
    geo = {"type": "Point", "coordinates": [200.0, 10.0]}
    p = pair(d, meta_obj(captures=[{"core:sample_start": 0, "core:geolocation": geo}]))
    return [p], p, "captures[0]: core:geolocation longitude 200 / latitude 10 is outside"


@case
def meta_is_directory(d):
    os.mkdir(os.path.join(d, "rec.sigmf-meta"))
    put(d, "rec.sigmf-data", bytes(400))
    return ["rec.sigmf-meta"], "rec.sigmf-meta", "metadata file rec.sigmf-meta is a directory, not a file"


@case
def data_is_directory(d):
    p = pair(d, meta_obj(), data_bytes=None)
    os.mkdir(os.path.join(d, "rec.sigmf-data"))
    return [p], p, "data file rec.sigmf-data is a directory, not a file"


@case
def data_is_fifo(d):
    p = pair(d, meta_obj(), data_bytes=None)
    os.mkfifo(os.path.join(d, "rec.sigmf-data"))
    return [p], p, "data file rec.sigmf-data is not a regular file"


@case
def meta_symlink_loop(d):
    os.symlink("rec.sigmf-meta", os.path.join(d, "rec.sigmf-meta"))
    put(d, "rec.sigmf-data", bytes(400))
    return ["rec.sigmf-meta"], "rec.sigmf-meta", "Too many levels of symbolic links"


@case
def meta_unreadable(d):
    if os.geteuid() == 0:
        print("SKIP: running as root, which reads any file whatever its permissions "
              "(meta_symlink_loop covers an unopenable metadata file)")
        sys.exit(77)
    p = pair(d, meta_obj())
    os.chmod(os.path.join(d, p), 0)
    return [p], p, "cannot open metadata file rec.sigmf-meta: Permission denied"


@case
def sigmf_archive(d):
    put(d, "rec.sigmf", bytes(1024))
    return ["rec.sigmf"], "rec.sigmf", "SigMF archives (.sigmf) are not supported"


@case
def raw_without_rate(d):
    put(d, "cap.cfile", bytes(800))
    return ["cap.cfile"], "cap.cfile", "raw IQ file needs --rate"


@case
def raw_size_not_multiple(d):
    put(d, "cap.cfile", bytes(1001))
    return ["--rate", "1e6", "cap.cfile"], "cap.cfile", \
        "data file size 1001 bytes is not a multiple of 8 bytes per cf32_le sample"


@case
def raw_empty(d):
    put(d, "cap.cu8", b"")
    return ["--rate", "2.4e6", "cap.cu8"], "cap.cu8", "data file is empty"


def listing(d):
    out = []
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            out.append(os.path.relpath(os.path.join(root, n), d))
    return sorted(out)


def has_output_option(cellscan, command):
    r = subprocess.run([cellscan, command, "--help"], capture_output=True, timeout=60)
    return r.returncode == 0 and b"-o FILE" in r.stdout


def check_output_file(name, cellscan, d, args, prefix, expect, before):
    """The same input to a command that writes a file (-o): refused the same way, and
    neither the output file nor a temporary file may appear."""
    if not has_output_option(cellscan, "spectrum"):
        print(f"note {name}: no command with -o FILE available; output-file check not run")
        return []
    cmd = [cellscan, "spectrum", "-o", "result.out"] + args
    try:
        r = subprocess.run(cmd, cwd=d, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return ["cellscan spectrum -o did not finish within 60 s (hang)"]
    err = r.stderr.decode(errors="replace")
    problems = []
    if not 0 < r.returncode < 128:
        problems.append(f"spectrum -o: exit status {r.returncode}, expected a failure")
    if r.stdout:
        problems.append(f"spectrum -o: stdout is not empty: {r.stdout[:200]!r}")
    if not err.startswith(prefix) or expect not in err:
        problems.append(f"spectrum -o: stderr lacks {prefix + '...' + expect!r}: {err.strip()!r}")
    after = listing(d)
    if after != before:
        problems.append(f"spectrum -o: directory changed: {sorted(set(after) ^ set(before))}")
    return problems


def run_case(name, cellscan):
    d = tempfile.mkdtemp(prefix="cs_bad_")
    try:
        args, shown, expect = CASES[name](d)
        before = listing(d)
        try:
            r = subprocess.run([cellscan, "info"] + args, cwd=d, capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            print(f"FAIL {name}: cellscan info did not finish within 60 s (hang)")
            return 1
        out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
        problems = []
        if r.returncode != 1:
            problems.append(f"exit status {r.returncode}, expected 1"
                            + (" (killed by a signal: crash)" if r.returncode < 0 else ""))
        if out:
            problems.append(f"stdout is not empty: {out[:200]!r}")
        lines = err.splitlines()
        if len(lines) != 1:
            problems.append(f"expected exactly one stderr line, got {len(lines)}: {err[:400]!r}")
        prefix = f"cellscan: {shown}: "
        if not err.startswith(prefix):
            problems.append(f"stderr does not start with {prefix!r}: {err.strip()!r}")
        if expect not in err:
            problems.append(f"stderr lacks {expect!r}: {err.strip()!r}")
        after = listing(d)
        if after != before:
            problems.append(f"directory changed: {sorted(set(after) ^ set(before))}")
        problems += check_output_file(name, cellscan, d, args, prefix, expect, before)
        if problems:
            print(f"FAIL {name}: cellscan info {' '.join(args)}")
            for p in problems:
                print("  " + p)
            return 1
        print(f"ok {name}: {err.strip()}")
        return 0
    finally:
        for root, dirs, files in os.walk(d):  # undo chmod 000 so the tree can go
            for n in dirs + files:
                p = os.path.join(root, n)
                if not os.path.islink(p) and stat.S_ISREG(os.lstat(p).st_mode):
                    os.chmod(p, 0o644)
        shutil.rmtree(d, ignore_errors=True)


def main(argv):
    if len(argv) >= 2 and argv[1] == "--check-list":
        registered, defined = set(argv[2:]), set(CASES)
        if registered != defined:
            print("tests.cmake and badinput.py disagree: only registered:",
                  sorted(registered - defined), "only defined:", sorted(defined - registered))
            return 1
        print(f"ok: {len(defined)} bad-input cases registered")
        return 0
    if len(argv) != 2 or argv[1] not in CASES:
        print(__doc__)
        print("cases:", " ".join(sorted(CASES)))
        return 2
    cellscan = os.environ.get("CELLSCAN")
    if not cellscan or not os.access(cellscan, os.X_OK):
        print("FAIL: CELLSCAN does not name the cellscan binary")
        return 1
    return run_case(argv[1], cellscan)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
