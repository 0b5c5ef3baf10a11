#!/usr/bin/python3
"""End-to-end checks of `cellscan info`.

usage: e2e_info.py shared      every recording under CS_SHARED_DATA (skips when absent):
                               datatype, rate, centre, duration and samples against the
                               metadata, the README's table and the file size; the signal
                               statistics against an independent numpy computation
       e2e_info.py synthetic   recordings made here with known content: statistics of known
                               signals, several captures, raw input options, several files
                               with a bad one among them, --help
Environment: CELLSCAN (the binary), CS_SHARED_DATA.
"""
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

CELLSCAN = os.environ.get("CELLSCAN", "")
FAILURES = []

# From ../shared/data/README.md: (rate Hz, centre Hz or None, duration s)
README = {
    "gsm/thc_gsm900_941.0MHz_500ksps": (500e3, 941.0e6, 0.160),
    "gsm/thc_gsm900_941MHz_4Msps_wideband": (4e6, 941.0e6, 0.020),
    "gsm/thc_gsm900_937MHz_4Msps_wideband": (4e6, 937.0e6, 0.020),
    "umts/umts_beeline_7.68Msps": (7.68e6, None, 0.100),
    "umts/umts_megafon5_7.68Msps": (7.68e6, None, 0.100),
}

NUMPY_TYPES = {"cf32_le": ("<f4", 1.0), "cf64_le": ("<f8", 1.0), "ci16_le": ("<i2", 32768.0),
               "ci8": ("i1", 128.0), "ci32_le": ("<i4", 2147483648.0)}
SAMPLE_BYTES = {"cf64_le": 16, "cf32_le": 8, "ci32_le": 8, "ci16_le": 4, "cu16_le": 4, "ci8": 2, "cu8": 2}


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def near(a, b, tol):
    return a is not None and b is not None and abs(a - b) <= tol


def run(args, cwd=None):
    r = subprocess.run([CELLSCAN, "info"] + args, capture_output=True, timeout=300, cwd=cwd)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def numpy_stats(data_path, datatype):
    """Independent statistics of a single-channel file, in dBFS."""
    np_type, full_scale = NUMPY_TYPES[datatype]
    raw = np.fromfile(data_path, dtype=np_type).astype(np.float64) / full_scale
    x = raw[0::2] + 1j * raw[1::2]
    p = np.abs(x) ** 2
    dc = x.mean()
    if datatype.startswith("cf"):
        clipped = np.count_nonzero(np.abs(raw) >= 1.0)
    else:
        info = np.iinfo(np.dtype(np_type))
        ints = np.fromfile(data_path, dtype=np_type)
        clipped = np.count_nonzero((ints == info.min) | (ints == info.max))
    return {"mean": 10 * math.log10(p.mean()), "peak": 10 * math.log10(p.max()),
            "dc_i": dc.real, "dc_q": dc.imag, "clipped_fraction": clipped / raw.size}


def shared():
    root = os.environ.get("CS_SHARED_DATA", "")
    metas = sorted(glob.glob(os.path.join(root, "**", "*.sigmf-meta"), recursive=True)) if root else []
    if not metas:
        print(f"SKIP: no SigMF recordings under CS_SHARED_DATA ({root or 'unset'})")
        return 77
    for meta_path in metas:
        name = os.path.relpath(meta_path, root)[: -len(".sigmf-meta")]
        data_path = meta_path[: -len(".sigmf-meta")] + ".sigmf-data"
        meta = json.load(open(meta_path))
        g = meta["global"]
        rc, out, err = run(["--format", "jsonl", meta_path])
        check(rc == 0 and not err, f"{name}: exit {rc}, stderr {err.strip()!r}")
        if rc != 0:
            continue
        lines = out.splitlines()
        check(len(lines) == 1, f"{name}: {len(lines)} output lines")
        rec = json.loads(lines[0])
        frame_bytes = SAMPLE_BYTES[g["core:datatype"]] * g.get("core:num_channels", 1)
        samples = os.path.getsize(data_path) // frame_bytes
        centre = meta["captures"][0].get("core:frequency") if meta["captures"] else None
        check(rec["type"] == "info" and rec["file"] == meta_path, f"{name}: type/file {rec['type']} {rec['file']}")
        check(rec["datatype"] == g["core:datatype"], f"{name}: datatype {rec['datatype']}")
        check(near(rec["sample_rate_hz"], g["core:sample_rate"], 1e-3), f"{name}: rate {rec['sample_rate_hz']}")
        check(rec["samples"] == samples, f"{name}: samples {rec['samples']} != {samples}")
        check(near(rec["duration_s"], samples / g["core:sample_rate"], 1e-9), f"{name}: duration {rec['duration_s']}")
        check(rec["centre_hz"] == centre or near(rec["centre_hz"], centre, 1e-3), f"{name}: centre {rec['centre_hz']}")
        check(rec["description"] == g.get("core:description"), f"{name}: description")
        if name in README:
            rate, centre_hz, duration = README[name]
            check(near(rec["sample_rate_hz"], rate, 1e-3), f"{name}: rate vs README")
            check(rec["centre_hz"] == centre_hz if centre_hz is None else near(rec["centre_hz"], centre_hz, 1e-3),
                  f"{name}: centre vs README")
            check(near(rec["duration_s"], duration, 1e-9), f"{name}: duration vs README")
        if g["core:datatype"] in NUMPY_TYPES and g.get("core:num_channels", 1) == 1:
            ref = numpy_stats(data_path, g["core:datatype"])
            check(near(rec["mean_power_dbfs"], ref["mean"], 0.002), f"{name}: mean {rec['mean_power_dbfs']} vs {ref['mean']:.3f}")
            check(near(rec["peak_power_dbfs"], ref["peak"], 0.002), f"{name}: peak {rec['peak_power_dbfs']} vs {ref['peak']:.3f}")
            check(near(rec["dc_i"], ref["dc_i"], 1e-6 + 1e-6 * abs(ref["dc_i"])), f"{name}: dc_i {rec['dc_i']} vs {ref['dc_i']}")
            check(near(rec["dc_q"], ref["dc_q"], 1e-6 + 1e-6 * abs(ref["dc_q"])), f"{name}: dc_q")
            check(near(rec["clipped_fraction"], ref["clipped_fraction"], 1e-9), f"{name}: clipped {rec['clipped_fraction']} vs {ref['clipped_fraction']}")
        check(rec["nonfinite_samples"] == 0, f"{name}: nonfinite {rec['nonfinite_samples']}")
        # the human table says the same
        rc, out, err = run([meta_path])
        check(rc == 0 and f"sample rate   {g['core:sample_rate']:.15g} Hz" in out, f"{name}: table rate line")
        check(f"({samples} samples)" in out and f"datatype      {g['core:datatype']}" in out, f"{name}: table samples/datatype")
        print(f"ok {name}: {rec['datatype']} {rec['sample_rate_hz']} Hz, centre {rec['centre_hz']}, "
              f"{rec['duration_s']} s, mean {rec['mean_power_dbfs']} dBFS")
    # all at once: one line each, in order
    rc, out, err = run(["--format", "jsonl"] + metas)
    files = [json.loads(l)["file"] for l in out.splitlines()]
    check(rc == 0 and files == metas, f"batch of {len(metas)}: exit {rc}, files {files}")
    return 1 if FAILURES else 0


def write_sigmf(d, name, datatype, samples_bytes, rate, captures, extra=None):
    g = {"core:datatype": datatype, "core:sample_rate": rate, "core:version": "1.2.0"}
    g.update(extra or {})
    with open(os.path.join(d, name + ".sigmf-meta"), "w") as f:
        json.dump({"global": g, "captures": captures, "annotations": []}, f)
    with open(os.path.join(d, name + ".sigmf-data"), "wb") as f:
        f.write(samples_bytes)
    return name + ".sigmf-meta"


def synthetic():
    d = tempfile.mkdtemp(prefix="cs_info_")
    try:
        n = 100000
        k = np.arange(n)
        tone = 0.5 * np.exp(2j * np.pi * k / 50)  # -6.02 dBFS, 2000 whole cycles: no DC
        iq = np.empty(2 * n, np.float32)
        iq[0::2], iq[1::2] = tone.real, tone.imag
        iq[2 * 777] = np.nan
        iq[2 * 888 + 1] = np.inf
        caps = [{"core:sample_start": 0, "core:frequency": 947.6e6, "core:datetime": "2024-05-01T12:00:00Z"},
                {"core:sample_start": 60000, "core:frequency": 1842.6e6}]
        tone_meta = write_sigmf(d, "tone", "cf32_le", iq.tobytes(), 2e6, caps,
                                {"core:description": "tone at -6 dBFS"})
        rc, out, err = run(["--format", "jsonl", tone_meta], cwd=d)
        rec = json.loads(out) if rc == 0 else {}
        check(rc == 0 and not err, f"tone: exit {rc} {err!r}")
        check(near(rec.get("mean_power_dbfs"), 20 * math.log10(0.5), 0.002), f"tone mean {rec.get('mean_power_dbfs')}")
        check(near(rec.get("peak_power_dbfs"), 20 * math.log10(0.5), 0.002), "tone peak")
        check(rec.get("nonfinite_samples") == 2, f"tone nonfinite {rec.get('nonfinite_samples')}")
        check(rec.get("clipped_fraction") == 0 and rec.get("dc_offset_dbfs", 0) < -60, "tone clip/dc")
        check([c["frequency_hz"] for c in rec.get("captures", [])] == [947.6e6, 1842.6e6], "tone capture frequencies")
        check(rec.get("centre_hz") == 947.6e6 and rec.get("duration_s") == 0.05, "tone centre/duration")
        check(rec.get("captures", [{}])[0].get("datetime") == "2024-05-01T12:00:00Z", "tone datetime")
        check(rec.get("description") == "tone at -6 dBFS", "tone description")

        # ci16 at the rails: half of the components sit at a limit and count as clipped
        ints = np.zeros(2 * 1000, np.int16)
        ints[0:500] = 32767
        ints[500:1000] = -32768
        ci = write_sigmf(d, "rails", "ci16_le", ints.tobytes(), 1e6, [{"core:sample_start": 0}])
        rc, out, err = run(["--format", "jsonl", ci], cwd=d)
        rec = json.loads(out) if rc == 0 else {}
        check(near(rec.get("clipped_fraction"), 0.5, 1e-12), f"rails clipped {rec.get('clipped_fraction')}")
        check(rec.get("centre_hz") is None, "rails centre unknown")

        # raw input with the options of cli.h
        raw = np.full(2 * 4096, 127, np.uint8)
        raw.tofile(os.path.join(d, "cap.bin"))
        rc, out, err = run(["--format-in", "cu8", "--rate", "2.4e6", "--freq", "1e9", "--format", "jsonl", "cap.bin"], cwd=d)
        rec = json.loads(out) if rc == 0 else {}
        check(rc == 0 and rec.get("datatype") == "cu8" and rec.get("samples") == 4096 and rec.get("centre_hz") == 1e9
              and rec.get("meta_file") is None, f"raw cu8: {rc} {err!r} {out[:200]!r}")
        check(near(rec.get("mean_power_dbfs"), 10 * math.log10(2 * (0.5 / 128) ** 2), 1e-3), "raw cu8 power")

        # several files, one bad: the bad one is one stderr line, the others still print
        write_sigmf(d, "bad", "ci16_le", b"\0" * 1003, 1e6, [{"core:sample_start": 0}])
        rc, out, err = run(["--format", "jsonl", "tone.sigmf-meta", "bad.sigmf-meta", "rails"], cwd=d)
        lines = out.splitlines()
        check(rc == 1, f"batch exit {rc}")
        check([json.loads(l)["file"] for l in lines] == ["tone.sigmf-meta", "rails"], f"batch stdout {lines}")
        check(err.splitlines() == ["cellscan: bad.sigmf-meta: data file size 1003 bytes is not a multiple "
                                   "of 4 bytes per ci16_le sample"], f"batch stderr {err!r}")
        rc, out, err = run(["tone", "rails"], cwd=d)
        check(rc == 0 and out.count("file          ") == 2 and "\n\nfile          rails" in out,
              f"table for two files: {out[:300]!r}")
        check("captures      2" in out and "sample 60000: 1842600000 Hz" in out, "table captures")
        check("non-finite    2 samples" in out, "table non-finite")

        rc, out, err = run(["--help"])
        check(rc == 0 and out.startswith("usage: cellscan info") and "--format-in" in out and not err, "--help")
        rc, out, err = run(["--format", "xml", "tone"], cwd=d)
        check(rc == 2 and not out and err.startswith("cellscan: --format: 'xml'"), f"--format xml: {rc} {err!r}")
        rc, out, err = run([])
        check(rc == 2 and not out and "no input file" in err, "no file")
        left = sorted(os.listdir(d))
        check(left == sorted(["tone.sigmf-meta", "tone.sigmf-data", "rails.sigmf-meta", "rails.sigmf-data",
                              "cap.bin", "bad.sigmf-meta", "bad.sigmf-data"]), f"files in directory: {left}")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if not FAILURES:
        print("ok: synthetic recordings")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    if not CELLSCAN or not os.access(CELLSCAN, os.X_OK):
        print("FAIL: CELLSCAN does not name the cellscan binary")
        sys.exit(1)
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "shared":
        sys.exit(shared())
    if mode == "synthetic":
        sys.exit(synthetic())
    print(__doc__)
    sys.exit(2)
