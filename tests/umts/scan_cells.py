"""Several cells per carrier: two and six cells with CPICH powers spread over 15 dB (P-SCH
5 dB under the CPICH, 200 ms), every one found and its Ec/Io within 1 dB of the truth (TS
25.215 definition, RSSI after the RRC filter), frame timing within a quarter chip. Seeds 102
and 108 lost the -23 dB cell to the strong cells' CPICH in the P-SCH fold before the
second round cancelled it."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from umts_common import Checks, records, run, tempdir  # noqa: E402

CELLS = {
    "two": [(100, -8), (357, -23)],
    "six": [(10, -8), (21, -11), (33, -14), (47, -17), (58, -20), (66, -23)],
}
CASES = [("two", 3), ("six", 3), ("six", 102), ("six", 108)]
c = Checks()
with tempdir() as tmp:
    for name, seed in CASES:
        cells = CELLS[name]
        name = f"{name} (seed {seed})"
        scen = {"duration_s": 0.2, "seed": seed, "umts": [
            {"psc": p, "ecio_db": e, "cpich_db": -5, "psch_db": -10, "ssch_db": -10} for p, e in cells]}
        path = os.path.join(tmp, f"{seed}{len(cells)}.json")
        with open(path, "w") as f:
            json.dump(scen, f)
        base = path[:-5]
        run("synth", "--scenario", path, "-o", base)
        truth = {e["psc"]: e for e in json.load(open(base + ".truth.json"))["emitters"]}
        p = run("scan", "--standard", "umts", "--format", "jsonl", base + ".sigmf-meta")
        found = {r["psc"]: r for r in records(p.stdout, "umts_cell")}
        c.check(sorted(found) == sorted(truth), f"{name}: found {sorted(found)}, truth {sorted(truth)}")
        for psc, t in truth.items():
            r = found.get(psc)
            if not r:
                continue
            c.check(abs(r["ecio_db"] - t["ecio_rrc_db"]) <= 1.0, f"{name}: PSC {psc} Ec/Io {r['ecio_db']} vs {t['ecio_rrc_db']:.2f}")
            c.check(abs(r["frame_offset_chips"] - t["frame_offset_chips"]) <= 0.25, f"{name}: PSC {psc} frame offset")
            print(f"{name}: PSC {psc}: Ec/Io {r['ecio_db']:.2f} dB (truth {t['ecio_rrc_db']:.2f}), round {r['round']}")
sys.exit(c.done())
