#!/usr/bin/python3
"""`cellscan spectrum` on the real recordings of CS_SHARED_DATA (skipped when absent).

GSM: every carrier that truth.json gives a snr_db_approx ("power above the noise floor")
must be flagged occupied with an SNR within 3 dB of it: ARFCNs 30, 24, 22, 31, 29 in
thc_gsm900_941MHz_4Msps_wideband, ARFCN 5 in thc_gsm900_937MHz_4Msps_wideband. Their
channels' powers must agree with an independent numpy Welch PSD to 0.1 dB.
UMTS: the one 3.84 MHz carrier of each recording (centre unknown) is found, at the centre.
Environment: CELLSCAN (the binary), CS_SHARED_DATA.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np

CELLSCAN = os.environ.get("CELLSCAN", "")
DATA = os.environ.get("CS_SHARED_DATA", "")
FAILURES = []
SNR_TOLERANCE_DB = 3.0


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def spectrum(args):
    r = subprocess.run([CELLSCAN, "spectrum", "--format", "jsonl"] + args, capture_output=True,
                       timeout=300)
    check(r.returncode == 0 and r.stderr == b"", f"spectrum {args}: rc {r.returncode} {r.stderr!r}")
    return [json.loads(l) for l in r.stdout.decode().splitlines()]


def numpy_channel_dbfs(data_path, fs, offset_hz, bw_hz, nfft=1024):
    """Independent Welch (4-term Blackman-Harris, periodic, 50% overlap) channel power."""
    x = np.fromfile(data_path, dtype="<c8").astype(np.complex128)
    n = np.arange(nfft)
    w = 0.35875 - 0.48829 * np.cos(2 * np.pi * n / nfft) + 0.14128 * np.cos(4 * np.pi * n / nfft) \
        - 0.01168 * np.cos(6 * np.pi * n / nfft)
    hop = nfft // 2
    segs = (len(x) - nfft) // hop + 1
    p = np.zeros(nfft)
    for s in range(segs):
        p += np.abs(np.fft.fft(x[s * hop:s * hop + nfft] * w)) ** 2
    p = np.fft.fftshift(p) / (segs * nfft * np.sum(w ** 2))
    df = fs / nfft
    f = (np.arange(nfft) - nfft // 2) * df
    lo, hi = offset_hz - bw_hz / 2, offset_hz + bw_hz / 2
    frac = np.clip(np.minimum(f + df / 2, hi) - np.maximum(f - df / 2, lo), 0, None) / df
    return 10 * math.log10(np.sum(p * frac))


def check_gsm(truth):
    for name, entry in truth.items():
        carriers = [c for c in entry.get("carriers", []) if "snr_db_approx" in c]
        if entry.get("standard") != "GSM" or not carriers:
            continue
        meta = os.path.join(DATA, name + ".sigmf-meta")
        recs = spectrum([meta])
        by_arfcn = {r["arfcn"]: r for r in recs if r["type"] == "channel_power"}
        summ = recs[-1]
        check(summ["type"] == "summary" and summ["receiver_ppm"] is None, f"{name}: summary")
        for c in carriers:
            r = by_arfcn.get(c["arfcn"])
            if r is None:
                check(False, f"{name}: ARFCN {c['arfcn']} not measured")
                continue
            print(f"{name}: ARFCN {c['arfcn']}: SNR {r['snr_db']:.1f} dB (truth ~{c['snr_db_approx']}), "
                  f"power {r['power_dbfs']:.2f} dBFS, noise {r['noise_dbfs']:.2f} dBFS")
            check(r["occupied"], f"{name}: ARFCN {c['arfcn']} not flagged occupied")
            check(abs(r["snr_db"] - c["snr_db_approx"]) <= SNR_TOLERANCE_DB,
                  f"{name}: ARFCN {c['arfcn']} SNR {r['snr_db']:.1f}, truth {c['snr_db_approx']}")
            ref = numpy_channel_dbfs(meta.replace(".sigmf-meta", ".sigmf-data"), summ["sample_rate_hz"],
                                     r["offset_hz"], r["bandwidth_hz"])
            check(abs(ref - r["power_dbfs"]) < 0.1, f"{name}: ARFCN {c['arfcn']} power "
                  f"{r['power_dbfs']:.3f} vs numpy {ref:.3f}")


def check_umts():
    for name in ("umts/umts_beeline_7.68Msps", "umts/umts_megafon5_7.68Msps"):
        recs = spectrum(["--raster", "umts", os.path.join(DATA, name + ".sigmf-meta")])
        chans = [r for r in recs if r["type"] == "channel_power"]
        check(len(chans) > 1 and all(c["uarfcn"] is None and c["freq_hz"] is None and
                                     c["bandwidth_hz"] == 3.84e6 for c in chans),
              f"{name}: UMTS raster positions by offset only, 3.84 MHz each, no UARFCN")
        occupied = [c for c in chans if c["occupied"]]
        # The carrier is centred (README; the cell searcher measures it within tens of Hz), but
        # a spectrum places it only to a raster step: Beeline's receiver filter is lopsided
        # (half-power edges at -1995 and +1770 kHz), so its spectral centre is -112 kHz.
        check(len(occupied) == 1 and abs(occupied[0]["offset_hz"]) <= 200e3,
              f"{name}: exactly one carrier, within one raster step of the centre: "
              f"{[c['offset_hz'] for c in occupied]}")
        if occupied:
            print(f"{name}: power {occupied[0]['power_dbfs']:.2f} dBFS, SNR {occupied[0]['snr_db']:.1f} dB")
            check(occupied[0]["snr_db"] > 20, f"{name}: carrier well above the noise")
        check(recs[-1]["centre_hz"] is None, f"{name}: centre null")


def main():
    if not CELLSCAN:
        print("CELLSCAN not set")
        return 1
    truth_path = os.path.join(DATA, "truth.json")
    if not DATA or not os.path.exists(truth_path):
        print(f"SKIP: shared recordings not found (CS_SHARED_DATA={DATA!r})")
        return 77
    truth = json.load(open(truth_path))
    check_gsm(truth)
    check_umts()
    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
