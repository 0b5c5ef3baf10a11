"""cellscan synth on the command line: bad input gets a one-line error naming the option,
field or file, a non-zero exit and no output files; the same seed gives the same bytes;
the truth file and a YAML scenario reproduce a recording; --print-scenario writes nothing."""
import filecmp
import json
import os
import subprocess

import synthlib as S


def outputs(base):
    return [base + e for e in (".sigmf-data", ".sigmf-meta", ".truth.json") if os.path.exists(base + e)]


def expect_error(d, name, args, needle, code=None):
    base = os.path.join(d, name)
    rc, out, err = S.synth(args, base, expect_ok=False)
    lines = err.strip().splitlines()
    S.check(rc != 0 and (code is None or rc == code) and len(lines) >= 1 and needle in lines[0] and
            lines[0].startswith("cellscan: ") and not outputs(base),
            "%s: exit %d, '%s'" % (name, rc, lines[0] if lines else ""))


def main():
    d = S.tmpdir()
    scen = os.path.join(d, "s.json")
    json.dump({"gsm": [{"arfcn": 30, "foo": 1}]}, open(scen, "w"))
    expect_error(d, "bad_ncc", ["--gsm", "30:9:0:20"], "--gsm: NCC '9'")
    expect_error(d, "bad_arfcn_band", ["--band", "DCS1800", "--gsm", "30:1:1:20"], "ARFCN 30 is not a GSM downlink channel of band DCS1800")
    expect_error(d, "bad_key", ["--scenario", scen], "gsm[0].foo: unknown field")
    expect_error(d, "no_file", ["--scenario", os.path.join(d, "missing.json")], "missing.json: cannot open")
    expect_error(d, "qualifier", ["--cell-id", "1:01:2:3", "--gsm", "30:1:1:20"], "--cell-id: must follow a --gsm")
    expect_error(d, "cell_id", ["--gsm", "30:1:1:20", "--cell-id", "1:1:2:3"], "--cell-id: '1:1:2:3' is not MCC:MNC:LAC:CI")
    expect_error(d, "outside", ["--gsm", "35:1:1:20", "--freq", "941e6", "--rate", "1e6"], "does not fit in the recording band")
    expect_error(d, "infeasible", ["--umts", "1:-9"], "infeasible")
    expect_error(d, "rate", ["--umts", "1:-15", "--rate", "4e6"], "does not fit in the recording band")
    expect_error(d, "datatype", ["--gsm", "30:1:1:20", "--datatype", "rf32_le"], "--datatype")
    expect_error(d, "bursts", ["--gsm", "30:1:1:20", "--bursts-file", os.path.join(d, "none.bz2")], "none.bz2: cannot open bursts file")
    expect_error(d, "fading", ["--gsm", "30:1:1:20", "--fading", "XYZ"], "unknown fading profile 'XYZ'")
    expect_error(os.path.join(d, "no", "such"), "dir", ["--gsm", "30:1:1:20"], "cannot create")
    expect_error(d, "ch_no_array", ["--gsm", "30:1:1:20", "--channel-phase-deg", "0,1"], "--channel-phase-deg: needs --array")
    expect_error(d, "ch_count", ["--array", "uca:3", "--gsm", "30:1:1:20", "--channel-gain-db", "0,1"],
                 "--channel-gain-db: 2 values given, the array has 3 elements")
    expect_error(d, "bearing", ["--bearing", "20", "--gsm", "30:1:1:20"], "--bearing: must follow the emitter")
    expect_error(d, "move", ["--gsm", "30:1:1:20", "--move", "10:90"], "--move: needs --position")
    expect_error(d, "iqf_type", ["--array", "ula:2", "--gsm", "30:1:1:20", "--array-output", "iqf", "--datatype", "ci16_le"],
                 "complex64")
    expect_error(d, "ant_array", ["--array", "ula:2", "--antenna", "60", "--gsm", "30:1:1:20"], "exclude each other")
    p = subprocess.run([S.CELLSCAN, "synth", "--gsm", "30:1:1:20"], capture_output=True, text=True)
    S.check(p.returncode == 2 and "give -o BASENAME" in p.stderr, "no -o: exit 2 with a hint")
    p = subprocess.run([S.CELLSCAN, "synth", "--bogus"], capture_output=True, text=True)
    S.check(p.returncode == 2, "unknown option: exit 2")

    # Determinism and reproduction.
    args = ["--gsm", "30:1:1:20", "--umts", "17:-14:2950", "--uplink", "28:5:0.01-0.03:8", "--freq", "918e6",
            "--rate", "61.44e6", "--duration", "0.04", "--seed", "77", "--datatype", "ci8"]
    os.mkdir(os.path.join(d, "one"))
    os.mkdir(os.path.join(d, "two"))
    a, b = os.path.join(d, "one", "a"), os.path.join(d, "two", "a")
    S.synth(args, a)
    S.synth(args, b)
    S.check(all(filecmp.cmp(a + e, b + e, shallow=False) for e in (".sigmf-data", ".sigmf-meta", ".truth.json")),
            "same arguments, same seed: identical data, metadata and truth")
    c = os.path.join(d, "c")
    S.synth(["--scenario", a + ".truth.json"], c)
    S.check(filecmp.cmp(a + ".sigmf-data", c + ".sigmf-data", shallow=False),
            "the truth file as --scenario reproduces the data")
    p = subprocess.run([S.CELLSCAN, "synth", "--scenario", a + ".truth.json", "--print-scenario"],
                       capture_output=True, text=True)
    echo = json.loads(p.stdout)
    S.check(p.returncode == 0 and echo["seed"] == 77 and echo["gsm"][0]["first_fn"] >= 0,
            "--print-scenario prints the resolved scenario")
    yml = os.path.join(d, "s.yaml")
    open(yml, "w").write("seed: 77\nduration_s: 0.04\ndatatype: ci8\nsample_rate_hz: 61.44e6\n"
                         "centre_freq_hz: 918e6\ngsm:\n  - {arfcn: 30, ncc: 1, bcc: 1, snr_db: 20}\n"
                         "gsm_bursts:\n  - link: uplink\n    arfcn: 28\n    timeslots: [5]\n"
                         "    intervals: [[0.01, 0.03]]\n    snr_db: 8\n"
                         "umts:\n  - {psc: 17, ecio_db: -14, uarfcn: 2950}\n")
    y = os.path.join(d, "y")
    S.synth(["--scenario", yml], y)
    S.check(filecmp.cmp(a + ".sigmf-data", y + ".sigmf-data", shallow=False),
            "the same scenario in YAML gives the same data")
    o = os.path.join(d, "other")
    S.synth(args[:-4] + ["--seed", "78", "--datatype", "ci8"], o)
    S.check(not filecmp.cmp(a + ".sigmf-data", o + ".sigmf-data", shallow=False), "another seed, other data")

    # Noise only, no emitters; clipping is reported.
    n = os.path.join(d, "noise")
    S.synth(["--content", "noise", "--rate", "1e6", "--freq", "100e6", "--duration", "0.01",
             "--noise-dbfs", "-30", "--datatype", "cu8"], n)
    t = json.load(open(n + ".truth.json"))
    S.check(abs(t["recording"]["measured_power_dbfs"] + 30) < 0.2 and t["emitters"] == [],
            "noise only at -30 dBFS")
    rc, out, err = S.synth(["--umts", "1:-13", "--power-dbfs", "-1", "--duration", "0.01", "--datatype", "ci8"],
                           os.path.join(d, "loud"))
    S.check(rc == 0 and "clipped" in err, "clipping is reported: " + err.strip())


main()
