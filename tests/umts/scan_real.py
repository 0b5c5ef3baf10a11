"""`cellscan scan` on the real UMTS recordings of ../shared/data/umts against truth.json:
Beeline PSC 366 (Ec/Io within 1.5 dB of -5.2 dB, frequency error within 10 Hz of -37 Hz)
and 364; Megafon5 PSC 30 (frequency error within 10 Hz of -14 Hz), 225, 212 and 129. Every
other cell reported must have passed the confirmation (significance and a coherent CPICH)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from umts_common import Checks, records, run  # noqa: E402

data = os.environ.get("CS_SHARED_DATA", "")
truth_path = os.path.join(data, "truth.json")
if not data or not os.path.exists(truth_path):
    print("SKIP: CS_SHARED_DATA is not set or has no truth.json (real recordings absent)")
    sys.exit(77)
with open(truth_path) as f:
    truth = json.load(f)

c = Checks()
for name, want in (("umts/umts_beeline_7.68Msps", {366: (-5.2, 1.5, -37), 364: None}),
                   ("umts/umts_megafon5_7.68Msps", {30: (None, None, -14), 225: None, 212: None, 129: None})):
    path = os.path.join(data, name + ".sigmf-meta")
    p = run("scan", "--standard", "umts", "--format", "jsonl", path)
    cells = {r["psc"]: r for r in records(p.stdout, "umts_cell")}
    summary = records(p.stdout, "summary")
    c.check(len(summary) == 1 and summary[0]["centre_hz"] is None, f"{name}: one summary, centre null")
    for cell in cells.values():
        c.check(cell["uarfcn"] is None and cell["freq_hz"] is None and cell["band"] is None,
                f"{name}: PSC {cell['psc']}: no channel number without a centre frequency")
        c.check(cell["cpich_z"] > 5 and cell["freq_error_hz"] is not None,
                f"{name}: PSC {cell['psc']} reported without a confirmation")
        c.check(cell["group"] == cell["psc"] // 8, f"{name}: PSC {cell['psc']} group")
    truth_pscs = {t["psc"] for t in truth[name]["cells"]}
    for psc, spec in want.items():
        c.check(psc in truth_pscs, f"{name}: PSC {psc} is in truth.json")
        cell = cells.get(psc)
        c.check(cell is not None, f"{name}: PSC {psc} found (got {sorted(cells)})")
        if cell is None or spec is None:
            continue
        ecio, tol, ferr = spec
        if ecio is not None:
            c.check(abs(cell["ecio_db"] - ecio) <= tol, f"{name}: PSC {psc} Ec/Io {cell['ecio_db']} vs {ecio}")
        c.check(abs(cell["freq_error_hz"] - ferr) <= 10, f"{name}: PSC {psc} frequency error {cell['freq_error_hz']} vs {ferr}")
    extra = sorted((r["ecio_db"], p) for p, r in cells.items() if p not in want)
    print(f"{name}: {len(cells)} cells; beyond the truth list: "
          + (", ".join(f"PSC {p} at {e:.1f} dB" for e, p in extra) or "none"))
sys.exit(c.done())
