#!/usr/bin/python3
"""`cellscan scan --standard gsm` on the real recordings of CS_SHARED_DATA (skipped when
absent), against truth.json:

- thc_gsm900_941.0MHz_500ksps: ARFCN 30, BSIC 4/0, frame numbers 675016 and 675026 among
  the decoded ones, frequency error within 50 Hz of +8470 Hz, receiver error +9.0 ppm;
  --annotate-out writes a SigMF annotation labelled "GSM 30 BSIC 4-0".
- thc_gsm900_941MHz_4Msps_wideband: ARFCNs 30, 24, 22, 31, 29 with an SNR within 3 dB of
  truth (gsm_channel: power over noise in the 200 kHz channel, truth's definition), the
  FCCH of ARFCN 30 found, receiver error about +9 ppm (8.5..9.5).
- thc_gsm900_937MHz_4Msps_wideband: ARFCN 5's channel SNR within 3 dB of truth.
- the UMTS recordings: no GSM carrier, no GSM activity.
Environment: CELLSCAN (the binary), CS_SHARED_DATA.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CELLSCAN = os.environ.get("CELLSCAN", "")
DATA = os.environ.get("CS_SHARED_DATA", "")
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def scan(path, *extra):
    r = subprocess.run([CELLSCAN, "scan", "--standard", "gsm", "--format", "jsonl", *extra, path],
                       capture_output=True, timeout=300)
    check(r.returncode == 0 and r.stderr == b"", f"scan {path}: rc {r.returncode} {r.stderr!r}")
    return [json.loads(l) for l in r.stdout.decode().splitlines()]


def of_type(records, t):
    return [r for r in records if r["type"] == t]


def by_arfcn(records, t, arfcn):
    m = [r for r in of_type(records, t) if r["arfcn"] == arfcn and r.get("link", "downlink") == "downlink"]
    return m[0] if m else None


def main():
    if not DATA or not os.path.isfile(os.path.join(DATA, "truth.json")):
        print(f"SKIP: shared test data not found (CS_SHARED_DATA={DATA!r})")
        return 77
    truth = json.load(open(os.path.join(DATA, "truth.json")))

    # --- one channel, 500 kS/s
    name = "gsm/thc_gsm900_941.0MHz_500ksps"
    t = truth[name]["carriers"][0]
    path = os.path.join(DATA, name + ".sigmf-meta")
    with tempfile.TemporaryDirectory() as tmp:
        # --annotate writes BASE.cellscan.sigmf-meta beside the data: use a scratch copy
        base = os.path.join(tmp, "thc500k")
        for ext in (".sigmf-meta", ".sigmf-data"):
            shutil.copyfile(os.path.join(DATA, name + ext), base + ext)
        meta = base + ".cellscan.sigmf-meta"
        recs = scan(base + ".sigmf-meta", "--annotate")
        for r in recs:
            r["file"] = path
        c = by_arfcn(recs, "gsm_carrier", t["arfcn"])
        check(c is not None, f"{name}: ARFCN {t['arfcn']} found")
        if c:
            print(f"{name}: BSIC {c['bsic']}, FNs {c['frame_numbers']}, error {c['freq_error_hz']} Hz")
            check(c["bsic"] == t["bsic"], f"{name}: BSIC {c['bsic']} == {t['bsic']}")
            for fn in t["frame_numbers"]:
                check(fn in c["frame_numbers"], f"{name}: FN {fn} decoded")
            check(abs(c["freq_error_hz"] - t["freq_offset_hz"]) <= 50,
                  f"{name}: frequency error {c['freq_error_hz']} within 50 Hz of {t['freq_offset_hz']}")
            check(c["fcch_count"] >= 3, f"{name}: {c['fcch_count']} FCCHs (3 or 4 in 160 ms)")
            check(len(c["frame_numbers"]) == c["sch_count"], f"{name}: one FN per SCH")
        s = of_type(recs, "summary")
        check(len(s) == 1 and s[0]["receiver_ppm"] is not None and abs(s[0]["receiver_ppm"] - 9.0) < 0.1,
              f"{name}: receiver_ppm {s[0]['receiver_ppm'] if s else None} ~ +9.0")
        ann = json.load(open(meta)) if os.path.exists(meta) else {"annotations": []}
        labels = [a.get("core:label") for a in ann.get("annotations", [])]
        check("GSM 30 BSIC 4-0" in labels, f"{name}: annotation labels {labels}")

    # --- 4 MS/s wideband captures
    for name in ("gsm/thc_gsm900_941MHz_4Msps_wideband", "gsm/thc_gsm900_937MHz_4Msps_wideband"):
        recs = scan(os.path.join(DATA, name + ".sigmf-meta"))
        for t in truth[name]["carriers"]:
            ch = by_arfcn(recs, "gsm_channel", t["arfcn"])
            check(ch is not None and ch["snr_db"] is not None and abs(ch["snr_db"] - t["snr_db_approx"]) <= 3.0,
                  f"{name}: ARFCN {t['arfcn']} SNR {ch['snr_db'] if ch else None} within 3 dB of {t['snr_db_approx']}")
            if t.get("fcch"):
                c = by_arfcn(recs, "gsm_carrier", t["arfcn"])
                check(c is not None and c["fcch_count"] >= 1, f"{name}: FCCH of ARFCN {t['arfcn']}")
        s = of_type(recs, "summary")
        if name.endswith("941MHz_4Msps_wideband"):
            check(s and s[0]["receiver_ppm"] is not None and 8.5 <= s[0]["receiver_ppm"] <= 9.5,
                  f"{name}: receiver_ppm {s[0]['receiver_ppm'] if s else None} ~ +9")
        print(f"{name}: carriers", [(c["arfcn"], c["evidence"], c["snr_db"]) for c in of_type(recs, "gsm_carrier")])

    # --- UMTS only: nothing GSM
    for name in ("umts/umts_beeline_7.68Msps", "umts/umts_megafon5_7.68Msps"):
        recs = scan(os.path.join(DATA, name + ".sigmf-meta"))
        check(not of_type(recs, "gsm_carrier") and not of_type(recs, "gsm_activity"),
              f"{name}: GSM records on a UMTS recording: "
              f"{[(r['type'], r['offset_hz']) for r in recs if r['type'] in ('gsm_carrier', 'gsm_activity')]}")
        check(len(of_type(recs, "gsm_channel")) > 20, f"{name}: channels by offset")
    print("failures:", len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
