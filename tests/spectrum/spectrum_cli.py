#!/usr/bin/python3
"""Checks of `cellscan spectrum` on recordings made here with known content.

Formats (table columns, the rtl_power CSV layout, JSON Lines fields and values), ARFCN
numbering with and without a centre frequency, --occupied-only, --cal-db, -o, --rx on a
two-channel file, SigMF datetime in the CSV, and usage/input errors (exit status, one
line on stderr, no output).
Environment: CELLSCAN (the binary).
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

CELLSCAN = os.environ.get("CELLSCAN", "")
FAILURES = []
FS = 2e6
CENTRE = 947.0e6          # P-GSM900 ARFCN 60
NOISE_200K_DBFS = -60.0
# (ARFCN, kind, SNR dB in 200 kHz): GMSK keeps 95.9% (-0.18 dB) of its power in 200 kHz
# and leaks -17 dB into each neighbour, so 59 and 61 sit 3 dB above the floor.
CARRIERS = [(60, "gmsk", 20.0), (57, "gmsk", 12.0), (63, "tone", 9.0)]
GMSK_IN_CHANNEL_DB = -0.18


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(args):
    r = subprocess.run([CELLSCAN, "spectrum"] + args, capture_output=True, timeout=120)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def gmsk(n, offset_hz, power, rng):
    """GMSK BT 0.3 (Gaussian-filtered NRZ frequency, pi/2 per symbol) with random bits."""
    sps = FS / (1625000.0 / 6.0)
    bits = rng.integers(0, 2, int(n / sps) + 2) * 2 - 1
    nrz = bits[(np.arange(n) / sps).astype(int)].astype(float)
    sigma = math.sqrt(math.log(2)) / (2 * math.pi * 0.3) * sps
    t = np.arange(-int(3 * sigma) - 1, int(3 * sigma) + 2)
    g = np.exp(-0.5 * (t / sigma) ** 2)
    freq = np.convolve(nrz, g / g.sum(), "same") * (math.pi / 2) / sps
    phase = np.cumsum(freq + 2 * math.pi * offset_hz / FS) + rng.uniform(0, 2 * math.pi)
    return math.sqrt(power) * np.exp(1j * phase)


def make_signal(n, seed, carriers=CARRIERS):
    rng = np.random.default_rng(seed)
    noise_power = 10 ** (NOISE_200K_DBFS / 10) * FS / 200e3
    x = (rng.normal(size=n) + 1j * rng.normal(size=n)) * math.sqrt(noise_power / 2)
    for arfcn, kind, snr in carriers:
        off = (935.2e6 + 0.2e6 * (arfcn - 1)) - CENTRE
        p = 10 ** ((snr + NOISE_200K_DBFS) / 10)
        if kind == "gmsk":
            x += gmsk(n, off, p, rng)
        else:
            x += math.sqrt(p) * np.exp(2j * math.pi * off / FS * np.arange(n))
    return x.astype(np.complex64)


def expected_snr(arfcn):
    for a, kind, snr in CARRIERS:
        if a == arfcn:
            return snr + (GMSK_IN_CHANNEL_DB if kind == "gmsk" else 0.0)
    return None


def parse_jsonl(text):
    return [json.loads(line) for line in text.splitlines()]


def check_jsonl(raw):
    rc, out, err = run(["--rate", str(FS), "--freq", str(CENTRE), "--format", "jsonl", raw])
    check(rc == 0 and err == "", f"jsonl run: rc {rc}, stderr {err!r}")
    recs = parse_jsonl(out)
    chans = [r for r in recs if r["type"] == "channel_power"]
    summ = [r for r in recs if r["type"] == "summary"]
    check(len(summ) == 1 and recs[-1]["type"] == "summary", "one summary line, last")
    # Centres within +-800 kHz, edges within +-900 kHz: ARFCNs 56..64.
    check([c["arfcn"] for c in chans] == list(range(56, 65)), f"ARFCNs {[c['arfcn'] for c in chans]}")
    keys = {"type", "file", "standard", "raster", "arfcn", "band", "link", "freq_hz", "offset_hz",
            "bandwidth_hz", "power_dbfs", "noise_dbfs", "snr_db", "occupied"}
    for c in chans:
        check(keys <= set(c), f"channel record keys: missing {keys - set(c)}")
        check(c["file"] == raw and c["standard"] == "GSM" and c["raster"] == "gsm", "file/standard/raster")
        check(c["band"] == "P-GSM900" and c["link"] == "downlink", f"band/link {c['band']} {c['link']}")
        check(abs(c["freq_hz"] - (935.2e6 + 0.2e6 * (c["arfcn"] - 1))) < 1, f"freq of {c['arfcn']}")
        check(abs(c["offset_hz"] - (c["freq_hz"] - CENTRE)) < 1, "offset = freq - centre")
        check(c["bandwidth_hz"] == 200e3, "GSM bandwidth 200 kHz")
        check(abs(c["noise_dbfs"] - NOISE_200K_DBFS) < 0.5, f"noise {c['noise_dbfs']}")
        want = expected_snr(c["arfcn"])
        if want is not None:
            check(c["occupied"] and abs(c["snr_db"] - want) < 0.5,
                  f"ARFCN {c['arfcn']}: SNR {c['snr_db']} want {want}, occupied {c['occupied']}")
        else:
            check(not c["occupied"], f"ARFCN {c['arfcn']} should be free (SNR {c['snr_db']})")
    s = summ[0]
    for k in ("receiver_ppm", "duration_s", "sample_rate_hz", "centre_hz", "processing_s"):
        check(k in s, f"summary lacks {k}")
    check(s["receiver_ppm"] is None and s["sample_rate_hz"] == FS and s["centre_hz"] == CENTRE,
          "summary values")
    check(abs(s["duration_s"] - 0.1) < 1e-9 and s["processing_s"] >= 0, "summary duration/time")
    check(s["channels"] == 9 and s["occupied_channels"] == 3, f"summary counts {s}")
    return chans


def check_table(raw, chans):
    rc, out, err = run(["--rate", str(FS), "--freq", str(CENTRE), raw])
    lines = out.splitlines()
    check(rc == 0 and lines[0].startswith("# " + raw), "table header line")
    check(lines[1].split() == ["arfcn", "band", "link", "freq_MHz", "offset_kHz", "power_dBFS",
                               "noise_dBFS", "SNR_dB", "occupied"], f"table columns {lines[1]}")
    rows = [l.split() for l in lines[2:]]
    check(len(rows) == len(chans), "one table row per channel")
    for row, c in zip(rows, chans):
        check(len(row) == 9 and int(row[0]) == c["arfcn"], f"table row {row}")
        check(abs(float(row[3]) - c["freq_hz"] / 1e6) < 1e-4, "table freq MHz")
        check(abs(float(row[5]) - c["power_dbfs"]) < 0.01, "table power = jsonl power")
        check(row[8] == ("yes" if c["occupied"] else "no"), "table occupied")
    rc, out, _ = run(["--rate", str(FS), "--freq", str(CENTRE), "--occupied-only", raw])
    check(sorted(int(l.split()[0]) for l in out.splitlines()[2:]) == [57, 60, 63],
          "--occupied-only table lists 57, 60, 63")


def check_csv(raw, chans, tmp):
    # rtl_power layout: date, time, Hz low, Hz high, Hz step, samples, dB...
    rc, out, err = run(["--rate", str(FS), "--freq", str(CENTRE), "--format", "csv", raw])
    lines = out.splitlines()
    check(rc == 0 and len(lines) == 1, "csv: one row")
    f = [v.strip() for v in lines[0].split(",")]
    check(f[0] == "" and f[1] == "", "csv date/time empty for a raw file")
    low, high, step, samples = float(f[2]), float(f[3]), float(f[4]), int(f[5])
    check(low == CENTRE - 900e3 and high == CENTRE + 900e3 and step == 200e3, f"csv range {f[2:5]}")
    check(samples == int(0.1 * FS), "csv samples")
    vals = [float(v) for v in f[6:]]
    check(len(vals) == round((high - low) / step) == len(chans), "csv one value per channel")
    check(all(abs(v - c["power_dbfs"]) < 0.01 for v, c in zip(vals, chans)), "csv values = powers")
    # With --cal-db the values become dBm; -o writes the same bytes to a file.
    out_path = os.path.join(tmp, "out.csv")
    rc, out2, _ = run(["--rate", str(FS), "--freq", str(CENTRE), "--format", "csv",
                       "--cal-db", "-100", "-o", out_path, raw])
    check(rc == 0 and out2 == "", "-o: nothing on stdout")
    f2 = [v.strip() for v in open(out_path).read().split(",")]
    check(all(abs(float(a) - float(b) + 100) < 0.011 for a, b in zip(f2[6:], f[6:])), "--cal-db csv")
    check(sorted(os.listdir(tmp)).count("out.csv") == 1 and
          not any(n.startswith("out.csv.tmp") for n in os.listdir(tmp)), "no temporary left")
    # SigMF with a datetime: date and time columns.
    base = os.path.join(tmp, "dated")
    np.fromfile(raw, dtype=np.complex64)[:20000].tofile(base + ".sigmf-data")
    json.dump({"global": {"core:datatype": "cf32_le", "core:sample_rate": FS, "core:version": "1.2.0"},
               "captures": [{"core:sample_start": 0, "core:frequency": CENTRE,
                             "core:datetime": "2024-05-01T12:34:56.789Z"}], "annotations": []},
              open(base + ".sigmf-meta", "w"))
    rc, out, err = run(["--format", "csv", base + ".sigmf-meta"])
    f = [v.strip() for v in out.split(",")]
    check(rc == 0 and f[0] == "2024-05-01" and f[1] == "12:34:56", f"csv date/time {f[:2]} {err}")


def check_no_centre(raw):
    rc, out, _ = run(["--rate", str(FS), "--format", "jsonl", "--cal-db", "30", raw])
    chans = [r for r in parse_jsonl(out) if r["type"] == "channel_power"]
    check(rc == 0 and len(chans) == 9, "no centre: 9 channels")
    for c in chans:
        check(c["arfcn"] is None and c["band"] is None and c["freq_hz"] is None and
              c["link"] is None, "no centre: no numbers or frequencies")
        check(abs(c["power_dbm"] - c["power_dbfs"] - 30) < 1e-6 and
              abs(c["noise_dbm"] - c["noise_dbfs"] - 30) < 1e-6, "--cal-db dBm twins")
    check([round(c["offset_hz"]) for c in chans] == [int(-800e3 + 200e3 * i) for i in range(9)],
          "no centre: offsets")
    check([c["occupied"] for c in chans] == [False, True, False, False, True, False, False, True, False],
          "no centre: same occupancy")
    rc, out, _ = run(["--rate", str(FS), "--format", "jsonl", "--occupied-only", raw])
    recs = parse_jsonl(out)
    check(len(recs) == 4 and all(r["occupied"] for r in recs[:3]), "--occupied-only jsonl")


def check_bins_and_rx(tmp):
    # Two interleaved channels: noise on 0, noise plus the carriers on 1.
    n = 100000
    a, b = make_signal(n, 2, carriers=[]), make_signal(n, 3)
    two = np.empty(2 * n, dtype=np.complex64)
    two[0::2], two[1::2] = a, b
    path = os.path.join(tmp, "two.cfile")
    two.tofile(path)
    common = ["--rate", str(FS), "--freq", str(CENTRE), "--channels", "2", "--format", "jsonl"]
    occ = lambda out: [r["arfcn"] for r in parse_jsonl(out) if r["type"] == "channel_power" and r["occupied"]]
    rc0, out0, _ = run(common + [path])
    rc1, out1, _ = run(common + ["--rx", "1", path])
    check(rc0 == 0 and occ(out0) == [], f"--rx 0: nothing occupied ({occ(out0)})")
    check(rc1 == 0 and occ(out1) == [57, 60, 63], f"--rx 1: carriers ({occ(out1)})")
    rc, out, err = run(common + ["--rx", "2", path])
    check(rc == 1 and out == "" and err.count("\n") == 1 and "--rx 2" in err, "--rx beyond channels")
    # Bins: 100 kHz wide, one centred on the centre, no numbers.
    rc, out, _ = run(["--rate", str(FS), "--freq", str(CENTRE), "--bin-hz", "100e3",
                      "--format", "jsonl", os.path.join(tmp, "one.cfile")])
    bins = [r for r in parse_jsonl(out) if r["type"] == "channel_power"]
    check(rc == 0 and len(bins) == 17 and bins[8]["offset_hz"] == 0, "bins: 17, centred")
    check(all("arfcn" not in r and r["standard"] is None and r["raster"] == "bins" and
              r["bandwidth_hz"] == 100e3 for r in bins), "bins: no channel numbers")
    total = sum(10 ** (r["power_dbfs"] / 10) for r in bins)
    # The bins tile -850..850 kHz: the three carriers plus 1.7/2 of the 2 MHz noise.
    want = sum(10 ** ((s + NOISE_200K_DBFS) / 10) for _, _, s in CARRIERS) + \
        10 ** (NOISE_200K_DBFS / 10) * 1.7e6 / 200e3
    check(abs(10 * math.log10(total / want)) < 0.3, f"bins sum {10*math.log10(total)} want {10*math.log10(want)}")


def check_errors(raw, tmp):
    cases = [
        (["--raster", "lte", raw], 2, "--raster"),
        (["--band", "GSM1234", raw], 2, "--band"),
        (["--nfft", "1000", "--rate", "2e6", raw], 2, "--nfft"),
        (["--occupied-only", "--format", "csv", "--rate", "2e6", raw], 2, "--occupied-only"),
        (["--rate", "2e6", raw, raw], 2, raw),
        ([], 2, "no input file"),
        (["--rate", "2e6", os.path.join(tmp, "missing.cfile")], 1, "missing.cfile"),
        (["--rate", "1e5", raw], 1, "no 200 kHz channel"),
        (["--rate", "2e6", "--nfft", "16", raw], 1, "too coarse"),
    ]
    short = os.path.join(tmp, "short.cfile")
    np.zeros(100, dtype=np.complex64).tofile(short)
    cases.append((["--rate", "2e6", short], 1, "too short"))
    nan = os.path.join(tmp, "nan.cfile")
    x = np.ones(50000, dtype=np.complex64)
    x[30000] = np.nan
    x.tofile(nan)
    cases.append((["--rate", "2e6", "--format", "csv", "-o", os.path.join(tmp, "nan.csv"), nan], 1,
                  "non-finite"))
    for args, want_rc, want_msg in cases:
        rc, out, err = run(args)
        check(rc == want_rc and out == "" and err.startswith("cellscan: ") and
              err.count("\n") == 1 and want_msg in err, f"error case {args}: rc {rc}, {err!r}")
    check(not os.path.exists(os.path.join(tmp, "nan.csv")), "no output file after a read error")
    rc, out, err = run(["--help"])
    check(rc == 0 and "rtl_power" in out and "80%" in out and err == "", "--help")


def main():
    if not CELLSCAN:
        print("CELLSCAN not set")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "one.cfile")
        make_signal(int(0.1 * FS), 1).tofile(raw)
        chans = check_jsonl(raw)
        check_table(raw, chans)
        check_csv(raw, chans, tmp)
        check_no_centre(raw)
        check_bins_and_rx(tmp)
        check_errors(raw, tmp)
    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
