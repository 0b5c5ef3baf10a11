#!/usr/bin/env python3
"""Compile examples/scan_spectrum.grc with grcc and run it headless on a recording.

  run_example.py generated   a SigMF recording written here: a tone on ARFCN 31 in noise
  run_example.py shared      the real GSM recordings of CS_SHARED_DATA against truth.json
                             (exit 77 when the data is absent)
Env: CS_SOURCE_DIR, CS_SHARED_DATA; PYTHONPATH with the built gnuradio.cellscan.
"""

import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gr_test_common import (check_missing_recording, die, run_flowgraph,  # noqa: E402
                            run_mode)

RUN_TIMEOUT_S = 120


def run_example(script, recording, out_path, *extra):
    return [json.loads(line) for line in run_flowgraph(script, recording, out_path, *extra,
                                                       timeout_s=RUN_TIMEOUT_S)]


def write_tone_recording(basename):
    """0.05 s at 1 MHz centred on 941.0 MHz (ARFCN 30): a -20 dBFS tone at +200 kHz
    (ARFCN 31) over -60 dBFS of noise, as ci16_le."""
    fs_hz, n = 1e6, 50000
    rng = np.random.default_rng(11)
    t = np.arange(n) / fs_hz
    x = 0.1 * np.exp(2j * np.pi * 200e3 * t) + math.sqrt(0.5e-6) * (
        rng.standard_normal(n) + 1j * rng.standard_normal(n))
    iq = np.empty((n, 2), dtype="<i2")
    iq[:, 0] = np.round(x.real * 32768)
    iq[:, 1] = np.round(x.imag * 32768)
    iq.tofile(basename + ".sigmf-data")
    meta = {"global": {"core:datatype": "ci16_le", "core:sample_rate": fs_hz,
                       "core:version": "1.2.0"},
            "captures": [{"core:sample_start": 0, "core:frequency": 941.0e6,
                          "core:datetime": "2025-01-02T03:04:05Z"}],
            "annotations": []}
    with open(basename + ".sigmf-meta", "w") as f:
        json.dump(meta, f)
    return basename + ".sigmf-meta"


def check_generated(script, tmp):
    recording = write_tone_recording(os.path.join(tmp, "tone"))
    rows = run_example(script, recording, os.path.join(tmp, "tone.jsonl"), "--period-s", "0.01")
    if len(rows) != 5 * 3:  # 5 periods of 10 ms x ARFCN 29, 30, 31
        die("expected 15 rows (5 reports x 3 channels), got %d" % len(rows))
    occupied = sorted({r["arfcn"] for r in rows if r["occupied"]})
    if occupied != [31]:
        die("occupied ARFCNs %s, expected [31]" % occupied)
    for r in rows:
        if r["arfcn"] == 31 and abs(r["power_dbfs"] - (-20.0)) > 0.5:
            die("ARFCN 31 at %.2f dBFS, expected -20 +/- 0.5" % r["power_dbfs"])
    if not all(r["freq_hz"] == 935e6 + 0.2e6 * r["arfcn"] for r in rows):
        die("freq_hz does not match the ARFCNs: centre from rx_freq not applied")

    # A bad recording: the flowgraph must not start, and must say which file.
    check_missing_recording(script, tmp, "generated recording", RUN_TIMEOUT_S)
    print("generated recording: ARFCN 31 occupied at -20 dBFS in all 5 reports")


def check_shared(script, tmp):
    data = os.environ.get("CS_SHARED_DATA", "")
    truth_path = os.path.join(data, "truth.json")
    if not os.path.isfile(truth_path):
        print("skip: shared recordings not found (CS_SHARED_DATA=%r)" % data)
        sys.exit(77)
    with open(truth_path) as f:
        truth = json.load(f)
    checked = 0
    for name in ("gsm/thc_gsm900_941MHz_4Msps_wideband", "gsm/thc_gsm900_937MHz_4Msps_wideband"):
        recording = os.path.join(data, name + ".sigmf-meta")
        # One 20 ms period: the whole recording.
        rows = run_example(script, recording, os.path.join(tmp, "scan.jsonl"),
                           "--period-s", "0.02")
        by_arfcn = {r["arfcn"]: r for r in rows}
        if len(by_arfcn) != len(rows):
            die("%s: expected one report, got rows %s" % (name, [r["arfcn"] for r in rows]))
        for carrier in truth[name]["carriers"]:
            row = by_arfcn.get(carrier["arfcn"])
            if row is None:  # outside the usable 80% of the band
                continue
            want_db = carrier["snr_db_approx"]
            if not row["occupied"] or row["snr_db"] is None or abs(row["snr_db"] - want_db) > 4:
                die("%s: ARFCN %d: snr_db %s occupied %s, truth about %+d dB" % (
                    name, carrier["arfcn"], row["snr_db"], row["occupied"], want_db))
            print("%s: ARFCN %d SNR %.1f dB (truth about %d)" % (
                name, carrier["arfcn"], row["snr_db"], want_db))
            checked += 1
    if checked < 5:
        die("only %d truth carriers fell in the measured channels" % checked)


def main():
    run_mode("scan_spectrum", {"generated": check_generated, "shared": check_shared},
             RUN_TIMEOUT_S)


if __name__ == "__main__":
    main()
