#!/usr/bin/python3
"""`cellscan scan --standard gsm` on recordings made by `cellscan synth` (truth in
BASE.truth.json), fixed seeds, a few seconds each:

- two C0s and a traffic carrier, receiver reference 4 ppm fast: BSICs, decoded frame
  numbers among the generated SCH frames, frequency errors (truth's freq_error_hz: the
  error as the recording shows it), SNR, the traffic carrier's timeslots numbered from the
  C0's frame timing, receiver_ppm = -4 (carriers appear 4 ppm low); table and CSV render;
- handsets on uplink channels: activity only, timeslot and intervals as generated;
- robustness single cases: +24 kHz offset, 20 ppm receiver error, TU multipath fading;
- DCS1800 versus PCS1900 at 1860 MHz (--band decides), unknown centre (raw .cfile);
- false alarms: 15 s of noise over 17 ARFCNs (255 channel-seconds): no carrier, no activity;
- bad input: a 250 kHz recording is refused with one line on stderr and no output.
Environment: CELLSCAN (the binary).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CELLSCAN = os.environ.get("CELLSCAN", "")
FAILURES = []
TMP = tempfile.mkdtemp(prefix="cs_gsm_")


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def synth(name, *args):
    base = os.path.join(TMP, name)
    r = subprocess.run([CELLSCAN, "synth", "-o", base, *args], capture_output=True, timeout=120)
    if r.returncode != 0:
        check(False, f"synth {args}: {r.stderr!r}")
        return base, {}
    return base, json.load(open(base + ".truth.json"))


def scan(path, *extra, fmt="jsonl", rc=0):
    r = subprocess.run([CELLSCAN, "scan", "--standard", "gsm", "--format", fmt, *extra, path],
                       capture_output=True, timeout=300)
    check(r.returncode == rc, f"scan {extra} {path}: rc {r.returncode} {r.stderr!r}")
    if fmt != "jsonl":
        return r.stdout.decode()
    return [json.loads(l) for l in r.stdout.decode().splitlines()]


def of(recs, t):
    return [r for r in recs if r["type"] == t]


def carrier(recs, arfcn):
    m = [r for r in of(recs, "gsm_carrier") if r["arfcn"] == arfcn]
    return m[0] if m else None


def emitter(truth, label_start):
    m = [e for e in truth.get("emitters", []) if e["label"].startswith(label_start)]
    return m[0] if m else None


def table_block(table, is_header):
    """Rows (column header -> text) of the table block whose header words is_header accepts."""
    rows, head = [], None
    for line in table.splitlines():
        words = line.split()
        if words[:1] == ["arfcn"]:
            head = words if is_header(words) else None
        elif head and words and words[0].isdigit() and len(words) == len(head):
            rows.append(dict(zip(head, words)))
        else:
            head = None
    return rows


def channel_rows(table):
    """ARFCNs of the table's channel block (the one whose header ends in 'carrier')."""
    return [int(r["arfcn"]) for r in table_block(table, lambda h: h[-1] == "carrier")]


def check_channel_table(recs, table, table_all):
    """The table lists carriers and channels 6 dB above the noise, and says how many it
    left out; --all-channels lists every channel the JSON Lines hold."""
    chans = of(recs, "gsm_channel")
    busy = sorted(c["arfcn"] for c in chans if c["carrier"] or (c["snr_db"] or -99) >= 6)
    shown, hidden = channel_rows(table), len(chans) - len(busy)
    check(sorted(shown) == busy and 0 < len(busy) < len(chans),
          f"mix: table channels {shown} == carriers and busy channels {busy} of {len(chans)}")
    check(f"({hidden} more: channels without a carrier" in table,
          f"mix: table says {hidden} quiet channels are not shown")
    check(sorted(channel_rows(table_all)) == sorted(c["arfcn"] for c in chans) and
          "more:" not in table_all, "mix: --all-channels lists every channel")


def check_cal_table(table):
    """With --cal-db the table's dBm columns are the dBFS ones plus the calibration."""
    rows = table_block(table, lambda h: "BSIC" in h)
    ok = rows and all(abs(float(r["power_dBm"]) - float(r["power_dBFS"]) + 30) < 0.011 for r in rows)
    check(ok, f"mix: --cal-db -30: table power_dBm = power_dBFS - 30 ({rows[:1]})")


def test_downlink():
    base, truth = synth("mix", "--gsm", "30:4:0:15", "--gsm", "33:2:5:2", "--traffic", "32:1,3:12",
                        "--freq", "941.3e6", "--rate", "2e6", "--duration", "0.6", "--seed", "12",
                        "--ppm", "4")
    recs = scan(base + ".sigmf-meta")
    for arfcn, label, snr in ((30, "GSM 30 BSIC 4-0", 15.0), (33, "GSM 33 BSIC 2-5", 2.0)):
        e, c = emitter(truth, label), carrier(recs, arfcn)
        check(c is not None, f"mix: ARFCN {arfcn} found")
        if not (c and e):
            continue
        print(f"mix: ARFCN {arfcn} BSIC {c['bsic']} FNs {c['frame_numbers'][:3]}... error "
              f"{c['freq_error_hz']} (truth {e['freq_error_hz']:.1f}) SNR {c['snr_db']}")
        check(c["bsic"] == e["bsic"], f"mix {arfcn}: BSIC {c['bsic']} == {e['bsic']}")
        check(len(c["frame_numbers"]) >= 8 and set(c["frame_numbers"]) <= set(e["sch_frame_numbers"]),
              f"mix {arfcn}: FNs {c['frame_numbers']} among the generated SCH frames")
        tol = 4 * c["freq_error_sigma_hz"] + 5
        check(abs(c["freq_error_hz"] - e["freq_error_hz"]) <= tol,
              f"mix {arfcn}: frequency error {c['freq_error_hz']} vs {e['freq_error_hz']:.1f} (tol {tol:.0f})")
        check(abs(c["snr_db"] - snr) <= 1.5, f"mix {arfcn}: SNR {c['snr_db']} vs {snr}")
        check(c["t_first_s"] < 0.05 and c["t_last_s"] > 0.55, f"mix {arfcn}: span {c['t_first_s']}..{c['t_last_s']}")
    acts = [a for a in of(recs, "gsm_activity") if a["arfcn"] == 32]
    check(len(acts) == 1 and acts[0]["timeslots"] == [1, 3] and acts[0]["timeslot_reference"] == "c0",
          f"mix: traffic on ARFCN 32 in TS 1,3 from the C0's timing: {acts}")
    s = of(recs, "summary")
    check(s and s[0]["receiver_ppm"] is not None and abs(s[0]["receiver_ppm"] + 4.0) < 0.2,
          f"mix: receiver_ppm {s[0]['receiver_ppm'] if s else None} ~ -4")
    table = scan(base + ".sigmf-meta", fmt="table")
    check("BSIC" in table and "4-0" in table and "2-5" in table, "mix: table shows the BSICs")
    check_channel_table(recs, table, scan(base + ".sigmf-meta", "--all-channels", fmt="table"))
    check_cal_table(scan(base + ".sigmf-meta", "--cal-db", "-30", fmt="table"))
    csv = scan(base + ".sigmf-meta", fmt="csv")
    check("gsm_carrier" in csv and "gsm_activity" in csv, "mix: CSV has both record types")


def test_uplink():
    base, truth = synth("ul", "--uplink", "30:2:0.1-0.3,0.5-0.7:10", "--freq", "896.2e6", "--rate", "1e6",
                        "--duration", "0.8", "--seed", "13")
    recs = scan(base + ".sigmf-meta")
    acts = of(recs, "gsm_activity")
    check(not of(recs, "gsm_carrier"), "uplink: no carrier records")
    check(len(acts) == 1, f"uplink: one activity record ({len(acts)})")
    if acts:
        a = acts[0]
        print(f"uplink: ARFCN {a['arfcn']} {a['link']} TS {a['timeslots']} intervals {a['intervals']}")
        check(a["arfcn"] == 30 and a["link"] == "uplink" and len(a["timeslots"]) == 1, f"uplink: {a}")
        iv = a["intervals"]
        check(len(iv) == 2 and abs(iv[0][0] - 0.1) < 0.01 and abs(iv[0][1] - 0.3) < 0.01
              and abs(iv[1][0] - 0.5) < 0.01 and abs(iv[1][1] - 0.7) < 0.01, f"uplink: intervals {iv}")
        check(abs(a["snr_db"] - 10.0) < 1.5, f"uplink: SNR {a['snr_db']}")


def robust(name, args, arfcn, bsic, expect_err_hz, err_tol_hz, ppm=None):
    base, truth = synth(name, "--gsm", f"{arfcn}:{bsic[0]}:{bsic[1]}:10", "--freq", "941e6", "--rate", "1e6",
                        "--duration", "1.0", "--seed", "21", *args)
    recs = scan(base + ".sigmf-meta")
    c = carrier(recs, arfcn)
    check(c is not None and c["bsic"] == {"ncc": bsic[0], "bcc": bsic[1]}, f"{name}: BSIC {c['bsic'] if c else None}")
    if c:
        print(f"{name}: {c['fcch_count']} FCCH, {c['sch_count']} SCH, error {c['freq_error_hz']} Hz")
        check(c["fcch_count"] >= 15, f"{name}: {c['fcch_count']} FCCHs of 21")
        check(abs(c["freq_error_hz"] - expect_err_hz) <= err_tol_hz,
              f"{name}: frequency error {c['freq_error_hz']} vs {expect_err_hz:.0f}")
    if ppm is not None:
        s = of(recs, "summary")
        check(s and abs(s[0]["receiver_ppm"] - ppm) < 0.2, f"{name}: receiver_ppm {s[0]['receiver_ppm'] if s else None}")


def test_bands_and_raw():
    base, truth = synth("dcs", "--gsm", "786:3:3:12", "--band", "DCS1800", "--freq", "1860e6", "--rate", "1e6",
                        "--duration", "0.5", "--seed", "31")
    recs = scan(base + ".sigmf-meta")
    c = carrier(recs, 786)
    check(c is not None and c["band"] == "DCS1800" and c["bsic"] == {"ncc": 3, "bcc": 3},
          f"1860 MHz: DCS1800 ARFCN 786 by default ({c})")
    recs = scan(base + ".sigmf-meta", "--band", "PCS1900")
    chans = [r for r in of(recs, "gsm_channel") if r["offset_hz"] == 0.0]
    check(chans and chans[0]["arfcn"] == 561 and chans[0]["link"] == "uplink" and chans[0]["band"] == "PCS1900",
          f"1860 MHz with --band PCS1900: PCS uplink ARFCN 561 ({chans})")
    check(not of(recs, "gsm_carrier"), "1860 MHz as PCS uplink: no downlink carrier")
    # unknown centre: a raw GNU Radio file, rate only
    raw = os.path.join(TMP, "dcs.cfile")
    shutil.copyfile(base + ".sigmf-data", raw)
    recs = scan(raw, "--rate", "1e6")
    c = [r for r in of(recs, "gsm_carrier") if r["offset_hz"] == 0.0]
    check(len(c) == 1 and c[0]["arfcn"] is None and c[0]["freq_hz"] is None and c[0]["bsic"] == {"ncc": 3, "bcc": 3},
          f"raw, no centre: carrier by offset with its BSIC ({c})")
    s = of(recs, "summary")
    check(s and s[0]["receiver_ppm"] is None, "raw, no centre: receiver_ppm null")


def test_noise_and_errors():
    base, _ = synth("noise", "--gsm", "30:0:0:0", "--content", "noise", "--freq", "941e6", "--rate", "4e6",
                    "--duration", "15", "--seed", "41")
    recs = scan(base + ".sigmf-meta")
    n = len([r for r in of(recs, "gsm_channel") if r["link"] == "downlink"])
    print(f"noise: {n} downlink channels x 15 s, {len(of(recs, 'gsm_carrier'))} carriers, "
          f"{len(of(recs, 'gsm_activity'))} activities")
    check(n >= 15, f"noise: {n} channels scanned")
    check(not of(recs, "gsm_carrier") and not of(recs, "gsm_activity"), "noise: no GSM record")
    narrow = os.path.join(TMP, "narrow.cfile")
    with open(narrow, "wb") as f:
        f.write(os.urandom(8 * 25000).translate(bytes([0] * 256)))  # 0.1 s of zeros, cf32
    r = subprocess.run([CELLSCAN, "scan", "--standard", "gsm", "--format", "jsonl", "--rate", "250e3",
                        "--freq", "941e6", narrow], capture_output=True, timeout=60)
    err = r.stderr.decode()
    check(r.returncode == 1 and r.stdout == b"" and err.count("\n") == 1 and "400 kHz" in err
          and err.startswith("cellscan: "), f"250 kHz: rc {r.returncode} stderr {err!r}")
    r = subprocess.run([CELLSCAN, "scan", "--gsm-max-offset", "500", narrow], capture_output=True)
    check(r.returncode == 2 and b"--gsm-max-offset" in r.stderr, f"bad option value: {r.returncode} {r.stderr!r}")


def test_table_beside_umts():
    """A GSM scan beside a UMTS carrier: the table leaves out the GSM channels the UMTS
    carrier fills (they stand 22 dB over the noise), keeps the GSM carriers, and
    --all-channels shows them all."""
    base, _ = synth("mixed", "--freq", "940e6", "--rate", "15.36e6", "--duration", "0.2", "--seed", "7",
                    "--gsm", "30:4:0:20", "--gsm", "36:1:1:8", "--umts", "366:-11:2980", "--umts", "100:-17:2980")
    both = ("--standard", "gsm,umts")
    recs = scan(base + ".sigmf-meta", *both)
    umts = of(recs, "umts_carrier")
    check(len(umts) == 1 and umts[0]["offset_hz"] == -4e6, f"mixed: the UMTS carrier at -4 MHz: {umts}")
    inside = [c["arfcn"] for c in of(recs, "gsm_channel")
              if abs(c["offset_hz"] + 4e6) < 2.4e6 and c["snr_db"] is not None and c["snr_db"] >= 6]
    shown = channel_rows(scan(base + ".sigmf-meta", *both, fmt="table"))
    check(len(inside) >= 20 and not set(inside) & set(shown) and {30, 36} <= set(shown),
          f"mixed: table channels {shown}: carriers 30 and 36, none of the {len(inside)} under UMTS")
    every = channel_rows(scan(base + ".sigmf-meta", *both, "--all-channels", fmt="table"))
    check(set(inside) <= set(every), "mixed: --all-channels shows the channels under the UMTS carrier")


def main():
    if not CELLSCAN or not os.access(CELLSCAN, os.X_OK):
        print("SKIP: CELLSCAN not set")
        return 77
    try:
        test_downlink()
        test_table_beside_umts()
        test_uplink()
        robust("offset +24 kHz", ["--cfo", "-24000"], 30, (5, 1), 24000.0, 40.0)
        robust("receiver +20 ppm", ["--ppm", "20"], 30, (5, 1), -18820.0, 40.0, ppm=-20.0)
        robust("TU fading", ["--fading", "TU"], 30, (5, 1), 0.0, 60.0)
        test_bands_and_raw()
        test_noise_and_errors()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("failures:", len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
