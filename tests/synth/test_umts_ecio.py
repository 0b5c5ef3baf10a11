"""cellscan synth, UMTS: the CPICH Ec/Io of each generated cell, measured by despreading
the CPICH with an independently generated scrambling code (synthlib, from UMTS.md) at the
truth's frame timing, equals the requested value within 0.2 dB. Two Io conventions, both
checked: the scenario's (every cell's whole power plus the noise in 3.84 MHz: truth
ecio_db) and TS 25.215's RSSI after the RRC matched filter (truth ecio_rrc_db, up to
0.245 dB higher). Absolute powers in dBFS match the truth."""
import json
import os

import numpy as np

import synthlib as S


def measure_cell(y_mf, psc, off_chips, spc):
    """RSCP (linear) of one cell from the matched-filter output at spc samples per chip."""
    scr = S.scrambling_frame(psc)
    n_chips = (len(y_mf) - 64 * spc) // spc
    j = np.arange(-int(off_chips), n_chips - int(off_chips))   # chips relative to a frame start
    k = (off_chips + j) * spc                                   # their sample positions
    keep = (k >= 32 * spc) & (k < len(y_mf) - 32 * spc)
    j, k = j[keep], k[keep].astype(np.int64)
    z = y_mf[k] * np.conj(scr[j % 38400])                       # = g_cpich (1+j) + other codes
    return np.abs(np.mean(z)) ** 2 / 2.0


def resample_fft(x, fs, fs_new):
    """Band-limited (circular) resampling by zero-padding / truncating the spectrum."""
    n_new = int(round(len(x) * fs_new / fs))
    X = np.fft.fft(x)
    keep = min(len(x), n_new) // 2
    Y = np.zeros(n_new, dtype=complex)
    Y[:keep] = X[:keep]
    Y[-keep:] = X[-keep:]
    return np.fft.ifft(Y) * (n_new / len(x))


def run_case(d, name, args, spc=2):
    base = os.path.join(d, name)
    S.synth(args, base)
    x, meta, truth = S.load(base)
    fs = truth["recording"]["sample_rate_hz"]
    if fs != 7.68e6:  # any rate: look at it through a 7.68 MS/s resampler
        x = resample_fft(x, fs, 7.68e6)
        fs = 7.68e6
    if truth["recording"]["sample_rate_hz"] == fs:
        check_total = 10 * np.log10(np.mean(np.abs(x) ** 2))
        expect_total = truth["recording"]["measured_power_dbfs"]
        S.check(abs(check_total - expect_total) < 0.01,
                "%s: file power %.3f dBFS = writer's %.3f" % (name, check_total, expect_total))
    taps = S.rrc_taps(spc)
    for cell in truth["emitters"]:
        off_hz = cell["offset_hz"]
        n = np.arange(len(x))
        xb = x * np.exp(-2j * np.pi * off_hz * n / fs)        # carrier to 0 Hz
        y_mf = np.convolve(xb, taps, mode="same")
        rscp = measure_cell(y_mf, cell["psc"], cell["frame_offset_chips"], spc)
        # Io as defined (every cell's whole power + noise in 3.84 MHz): the power within
        # +-2.5 MHz less the noise beyond 3.84 MHz of it, noise density from +-(2.6..3.7) MHz.
        n0 = (S.band_power(xb, fs, 2.6e6, 3.7e6) + S.band_power(xb, fs, -3.7e6, -2.6e6)) / 2.2e6
        io_brick = S.band_power(xb, fs, -2.5e6, 2.5e6) - n0 * (5e6 - 3.84e6)
        io_rrc = np.mean(np.abs(y_mf[1000:-1000]) ** 2)
        ecio = 10 * np.log10(rscp / io_brick)
        ecio_rrc = 10 * np.log10(rscp / io_rrc)
        print("%s PSC %d: Ec/Io %.3f dB (truth %.3f), RRC Ec/Io %.3f (truth %.3f), RSCP %.3f dBFS "
              "(truth %.3f), Io %.3f dBFS (truth %.3f)" %
              (name, cell["psc"], ecio, cell["ecio_db"], ecio_rrc, cell["ecio_rrc_db"],
               10 * np.log10(rscp), cell["rscp_dbfs"], 10 * np.log10(io_brick), cell["rssi_dbfs"]))
        S.check(abs(ecio - cell["ecio_db"]) < 0.2, "%s PSC %d Ec/Io within 0.2 dB" % (name, cell["psc"]))
        S.check(abs(ecio_rrc - cell["ecio_rrc_db"]) < 0.2, "%s PSC %d RRC Ec/Io within 0.2 dB" % (name, cell["psc"]))
        S.check(abs(10 * np.log10(rscp) - cell["rscp_dbfs"]) < 0.2, "%s PSC %d RSCP within 0.2 dB" % (name, cell["psc"]))
        S.check(abs(10 * np.log10(io_brick) - cell["rssi_dbfs"]) < 0.1, "%s PSC %d Io within 0.1 dB" % (name, cell["psc"]))
        # a wrong code must not despread
        wrong = measure_cell(y_mf, (cell["psc"] + 1) % 512, cell["frame_offset_chips"], spc)
        S.check(10 * np.log10(wrong / rscp) < -20, "%s: PSC %d+1 does not despread (%.1f dB)" %
                (name, cell["psc"], 10 * np.log10(wrong / rscp)))
    return truth


def main():
    d = S.tmpdir()
    # Two cells on one carrier: noise fills the rest of Io.
    run_case(d, "two", ["--umts", "366:-12", "--umts", "364:-16", "--duration", "0.1", "--seed", "3"])
    # Scenario file: a strong cell with a higher CPICH share and a weak one with a = +1, on
    # UARFCN 10700, written as ci16.
    scen = {"sample_rate_hz": 7.68e6, "duration_s": 0.1, "seed": 9, "datatype": "ci16_le",
            "umts": [{"psc": 30, "ecio_db": -7.0, "cpich_db": -4.0, "pccpch_db": -8, "uarfcn": 10700},
                     {"psc": 225, "ecio_db": -15.0, "uarfcn": 10700, "sch_sign": 1}]}
    path = os.path.join(d, "scen.json")
    json.dump(scen, open(path, "w"))
    t = run_case(d, "file", ["--scenario", path])
    # Any sample rate: 10 MS/s is not a whole number of samples per chip.
    run_case(d, "10M", ["--umts", "12:-11", "--rate", "10e6", "--duration", "0.1", "--seed", "6"])
    S.check(t["emitters"][0]["uarfcn"] == 10700 and abs(t["recording"]["centre_freq_hz"] - 2140e6) < 1,
            "UARFCN 10700 is 2140 MHz")
    # Infeasible: the sum of Ec/Io over CPICH shares reaches 1.
    rc, _, err = S.synth(["--umts", "1:-9", "--umts", "2:-12"], os.path.join(d, "bad"), expect_ok=False)
    S.check(rc != 0 and "infeasible" in err and not os.path.exists(os.path.join(d, "bad.sigmf-data")),
            "infeasible Ec/Io rejected: " + err.strip())


main()
