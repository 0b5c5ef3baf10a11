"""Automatic carrier selection of `cellscan scan --standard umts` (no --uarfcn): carriers the
spectrum shows and, by the sweep, carriers it does not (a weak carrier beside a strong one,
a lone carrier under the noise, a carrier off the centre of a narrow recording, a carrier
beside a DC spike); no cell on noise or GSM alone; --sweep-s 0 turns the sweep off, and a
scan of every standard sweeps only when --sweep-s asks."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from umts_common import Checks, records, run, synth, tempdir  # noqa: E402


def cells(meta, *extra):
    p = run("scan", "--standard", "umts", "--format", "jsonl", *extra, meta)
    return sorted((r["uarfcn"], r["psc"]) for r in records(p.stdout, "umts_cell")), p


def found(c, tmp):
    # two carriers 5 MHz apart at 15.36 MS/s, centre between them: both, with their PSCs
    meta, truth = synth(tmp, "two", "--umts", "100:-12:10700", "--umts", "200:-12:10725", "--rate", "15.36e6",
                        "--seed", "5")
    got, p = cells(meta)
    c.check(got == [(10700, 100), (10725, 200)], f"two carriers at 15.36 MS/s: {got}")
    for r in records(p.stdout, "umts_cell"):
        t = next(e for e in truth["emitters"] if e["psc"] == r["psc"])
        c.check(r["offset_hz"] == t["nominal_offset_hz"] and abs(r["ecio_db"] - t["ecio_rrc_db"]) <= 1.0,
                f"PSC {r['psc']}: offset {r['offset_hz']}, Ec/Io {r['ecio_db']} vs {t['ecio_rrc_db']}")

    # the second carrier 1.8 dB under the noise (one cell at Ec/Io -14 dB): under the
    # spectrum's 3 dB contrast, found by the sweep and measured on its own UARFCN
    meta, truth = synth(tmp, "weak2", "--umts", "100:-12:10700", "--umts", "200:-14:10725", "--rate", "15.36e6",
                        "--seed", "5")
    got, p = cells(meta)
    c.check(got == [(10700, 100), (10725, 200)], f"strong and weak carrier: {got}")
    for r in records(p.stdout, "umts_cell"):
        t = next(e for e in truth["emitters"] if e["psc"] == r["psc"])
        c.check(abs(r["ecio_db"] - t["ecio_rrc_db"]) <= 1.0 and abs(r["freq_error_hz"]) < 50,
                f"PSC {r['psc']} measured on its carrier: Ec/Io {r['ecio_db']}, error {r['freq_error_hz']} Hz")
    c.check(len(records(p.stdout, "umts_carrier")) == 2, "one umts_carrier record per carrier")

    # the same two carriers with a strong DC offset between them
    meta, _ = synth(tmp, "dc", "--umts", "100:-10.3:10700", "--umts", "200:-11:10725", "--rate", "15.36e6",
                    "--dc-dbfs", "-10", "--seed", "5")
    got, _ = cells(meta)
    c.check(got == [(10700, 100), (10725, 200)], f"two carriers and a DC spike: {got}")

    # a lone carrier 3.4 dB under the noise (Ec/Io -15 dB), 1.4 MHz off the centre, at
    # 15.36 MS/s: nothing to see in the spectrum
    meta, _ = synth(tmp, "lone", "--umts", "77:-15:10707", "--rate", "15.36e6", "--freq", "2140e6", "--seed", "6")
    got, _ = cells(meta)
    c.check(got == [(10707, 77)], f"lone carrier under the noise: {got}")
    got, _ = cells(meta, "--sweep-s", "0")
    c.check(got == [], f"--sweep-s 0: the spectrum alone does not find it: {got}")
    # a scan of every standard (no --standard) skips the sweep unless --sweep-s asks for it
    def every(*extra):
        p = run("scan", "--format", "jsonl", *extra, meta)
        return sorted((r["uarfcn"], r["psc"]) for r in records(p.stdout, "umts_cell"))

    got = every()
    c.check(got == [], f"every standard, no --sweep-s: no sweep: {got}")
    got = every("--sweep-s", "0.1")
    c.check(got == [(10707, 77)], f"every standard with --sweep-s 0.1: found: {got}")

    # 7.68 MS/s recording tuned 1 MHz beside its carrier: the centre raster point is empty
    meta, _ = synth(tmp, "beside", "--umts", "300:-13:10700", "--freq", "2141e6", "--rate", "7.68e6",
                    "--seed", "7")
    got, p = cells(meta)
    c.check(got == [(10700, 300)], f"carrier 1 MHz off the centre at 7.68 MS/s: {got}")
    c.check(all(r["offset_hz"] == -1e6 for r in records(p.stdout, "umts_cell")), "its offset is -1 MHz")



def clean(c, tmp):
    # no false cells: noise alone and GSM alone, narrow and wide, every sweep position searched
    for name, args in (("noise7", ["--umts", "10:-15", "--content", "noise"]),
                       ("noise15", ["--umts", "10:-15", "--content", "noise", "--rate", "15.36e6"]),
                       ("gsm7", ["--gsm", "20:1:2:25", "--rate", "7.68e6"]),
                       ("gsm15", ["--gsm", "20:1:2:25", "--gsm", "50:3:4:30", "--gsm", "60:0:0:15",
                                  "--rate", "15.36e6", "--freq", "945e6"])):
        meta, _ = synth(tmp, name, *args, "--seed", "3")
        got, p = cells(meta)
        c.check(got == [], f"no UMTS cell on {name}: {got}")
        c.check(len(records(p.stdout, "summary")) == 1, f"summary on {name}")


PARTS = {"found": [found], "clean": [clean], "all": [found, clean]}
checks = Checks()
with tempdir() as directory:
    for part in PARTS[sys.argv[1] if len(sys.argv) > 1 else "all"]:
        part(checks, directory)
sys.exit(checks.done())
