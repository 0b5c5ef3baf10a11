"""`cellscan scan` on generated recordings: the report contract in JSON Lines, CSV and the
table, --cal-db twins, --annotate, batch behaviour with a bad file, and no UMTS cell on
noise alone or on a GSM-only recording."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from umts_common import Checks, records, run, synth, tempdir  # noqa: E402

CELL_KEYS = ["type", "file", "uarfcn", "band", "freq_hz", "offset_hz", "psc", "group", "rscp_dbfs",
             "rssi_dbfs", "ecio_db", "freq_error_hz", "frame_offset_chips", "paths", "t_first_s", "t_last_s"]
SUMMARY_KEYS = ["receiver_ppm", "duration_s", "sample_rate_hz", "centre_hz", "processing_s"]

c = Checks()
with tempdir() as tmp:
    meta, truth = synth(tmp, "two", "--umts", "300:-11", "--umts", "45:-17", "--datatype", "ci16_le",
                        "--cfo", "-2500", "--seed", "8")
    p = run("scan", "--standard", "umts", "--format", "jsonl", "--cal-db", "-30", meta)
    cells = records(p.stdout, "umts_cell")
    c.check(sorted(r["psc"] for r in cells) == [45, 300], f"two cells found: {[r['psc'] for r in cells]}")
    for r in cells:
        keys = [k for k in r if not k.endswith("_dbm")]
        c.check(keys[:len(CELL_KEYS)] == CELL_KEYS, f"umts_cell keys in contract order: {keys[:16]}")
        c.check(r["rscp_dbm"] == round(r["rscp_dbfs"] - 30, 2) and r["rssi_dbm"] == round(r["rssi_dbfs"] - 30, 2),
                "--cal-db adds *_dbm twins")
        t = next(e for e in truth["emitters"] if e["psc"] == r["psc"])
        c.check(abs(r["ecio_db"] - t["ecio_rrc_db"]) <= 1.0, f"PSC {r['psc']} Ec/Io {r['ecio_db']} vs {t['ecio_rrc_db']}")
        c.check(abs(r["frame_offset_chips"] - t["frame_offset_chips"]) <= 0.2, f"PSC {r['psc']} frame offset")
        c.check(abs(r["freq_error_hz"] - 2500) <= 10, f"PSC {r['psc']} frequency error {r['freq_error_hz']}")
        c.check(r["uarfcn"] == t["uarfcn"] and r["band"] == t["band"] and r["freq_hz"] == t["freq_hz"],
                "UARFCN, band and frequency from the known centre")
        c.check(isinstance(r["paths"], list) and r["paths"][0]["delay_chips"] == 0, "paths list")
    s = records(p.stdout, "summary")
    c.check(len(s) == 1 and all(k in s[0] for k in SUMMARY_KEYS), "summary record")
    # carriers appear 2500 Hz high: receiver_ppm, their apparent error, is +1.17 ppm
    c.check(s and s[0]["receiver_ppm"] is not None and abs(s[0]["receiver_ppm"] - 2500 / 2140e6 * 1e6) < 0.01,
            f"receiver ppm {s and s[0]['receiver_ppm']}")

    # CSV: a header per record type, the same values
    p = run("scan", "--standard", "umts", "--format", "csv", meta)
    lines = p.stdout.splitlines()
    hdr = next((ln for ln in lines if ln.startswith("type,file,") and ",psc," in ln), "")
    c.check("psc" in hdr.split(",") and "ecio_db" in hdr.split(","), "CSV header")
    rows = [ln for ln in lines if ln.startswith("umts_cell,")]
    c.check(len(rows) == 2, "CSV rows")
    # table
    p = run("scan", "--standard", "umts", meta)
    c.check("PSC" in p.stdout and " 300 " in p.stdout and " 45 " in p.stdout, "table lists the cells")

    # annotations beside the recording, the recording's own metadata untouched
    before = open(meta).read()
    run("scan", "--standard", "umts", "--annotate", "--format", "jsonl", meta)
    ann_path = meta.replace(".sigmf-meta", ".cellscan.sigmf-meta")
    c.check(os.path.exists(ann_path), "--annotate writes BASE.cellscan.sigmf-meta")
    c.check(open(meta).read() == before, "the recording's metadata is untouched")
    if os.path.exists(ann_path):
        ann = json.load(open(ann_path))
        ours = [a for a in ann["annotations"] if "cellscan:record" in a]
        labels = [a.get("core:label") for a in ours]
        c.check(sorted(labels) == ["UMTS PSC 300", "UMTS PSC 45"], f"annotation labels {labels}")
        c.check(len(ann["annotations"]) == len(ours) + len(json.loads(before)["annotations"]),
                "the recording's own annotations are kept")
        rec = [a for a in ours if a.get("core:label") == "UMTS PSC 300"]
        c.check(rec and rec[0]["cellscan:record"]["psc"] == 300, "annotation carries the record")
        c.check(rec and rec[0]["core:freq_lower_edge"] < 2140e6 < rec[0]["core:freq_upper_edge"], "annotation edges")

    # batch: a missing file is reported, the good one still is
    missing = os.path.join(tmp, "missing.sigmf-meta")
    p = run("scan", "--standard", "umts", "--format", "jsonl", missing, meta, check=False)
    c.check(p.returncode == 1, f"batch with a bad file exits 1 (got {p.returncode})")
    c.check(p.stderr.startswith(f"cellscan: {missing}: ") and p.stderr.count("\n") == 1, f"one error line: {p.stderr!r}")
    c.check(len(records(p.stdout, "umts_cell")) == 2, "the good file is still reported")
    # bad options
    p = run("scan", "--format", "xml", meta, check=False)
    c.check(p.returncode == 2 and "--format" in p.stderr, "bad --format is a usage error")
    p = run("scan", "--standard", "lte", meta, check=False)
    c.check(p.returncode == 2 and "lte" in p.stderr, "unknown --standard is a usage error")

    # a 20 MS/s recording with two carriers 5 MHz apart: both found from the spectrum
    meta3, truth3 = synth(tmp, "wide", "--umts", "100:-12:10700", "--umts", "200:-12:10725", "--rate", "20e6",
                          "--seed", "4")
    p = run("scan", "--standard", "umts", "--format", "jsonl", meta3)
    got = sorted((r["uarfcn"], r["psc"]) for r in records(p.stdout, "umts_cell"))
    c.check(got == [(10700, 100), (10725, 200)], f"two carriers: {got}")
    c.check(len(records(p.stdout, "umts_carrier")) == 2, "one umts_carrier record per carrier")
    for r in records(p.stdout, "umts_cell"):
        t = next(e for e in truth3["emitters"] if e["psc"] == r["psc"])
        c.check(abs(r["ecio_db"] - t["ecio_rrc_db"]) <= 1.0, f"wide: PSC {r['psc']} Ec/Io {r['ecio_db']}")
        c.check(r["offset_hz"] == t["nominal_offset_hz"], f"wide: PSC {r['psc']} carrier offset {r['offset_hz']}")
    # too narrow for UMTS: a note, no cell, not an error
    meta4, _ = synth(tmp, "narrow", "--gsm", "20:1:2:25", "--rate", "1e6", "--seed", "3")
    p = run("scan", "--standard", "umts", "--format", "jsonl", meta4)
    c.check(not records(p.stdout, "umts_cell") and "note: UMTS needs" in p.stderr, "narrow recording: a note only")

    # nothing on noise alone, nothing on GSM alone
    for name, args in (("noise", ["--umts", "10:-15", "--content", "noise"]),
                       ("gsm", ["--gsm", "20:1:2:25", "--rate", "7.68e6"])):
        meta2, _ = synth(tmp, name, *args, "--seed", "3")
        p = run("scan", "--standard", "umts", "--format", "jsonl", meta2)
        c.check(not records(p.stdout, "umts_cell"), f"no UMTS cell on {name}")
        c.check(len(records(p.stdout, "summary")) == 1, f"summary on {name}")
sys.exit(c.done())
