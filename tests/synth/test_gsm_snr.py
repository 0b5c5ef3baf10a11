"""cellscan synth, GSM: the SNR of generated carriers (carrier power over the noise in
270.833 kHz) equals the request within 0.2 dB, by two independent estimators:
 1. known-signal regression against a noise-free reference made with the same seed
    (--content signal): y = a s + n, C = |a|^2 P_s, N0 = mean |y - a s|^2 / fs;
 2. the spectrum alone: N0 from bins far from every carrier, C = power near the carrier
    minus the noise there.
Also: the file equals reference signal + noise-only reference (same seed) exactly, and
carriers sit at the truth's offsets in a wideband multi-carrier recording."""
import os

import numpy as np

import synthlib as S


def regression_snr(y, s, fs):
    a = np.vdot(s, y) / np.vdot(s, s)
    r = y - a * s
    n0 = np.mean(np.abs(r) ** 2) / fs
    c = np.abs(a) ** 2 * np.mean(np.abs(s) ** 2)
    return 10 * np.log10(c / (n0 * S.GSM_RS)), a


def main():
    d = S.tmpdir()
    for snr in (10.0, 0.0, 25.0):
        args = ["--gsm", "30:4:0:%g" % snr, "--duration", "0.5", "--seed", "11"]
        base, ref, noi = (os.path.join(d, n) for n in ("all", "sig", "noise"))
        S.synth(args, base)
        S.synth(args + ["--content", "signal"], ref)
        S.synth(args + ["--content", "noise"], noi)
        y, _, truth = S.load(base)
        s, _, _ = S.load(ref)
        n, _, _ = S.load(noi)
        fs = truth["recording"]["sample_rate_hz"]
        S.check(np.max(np.abs(y - (s + n))) < 1e-6, "SNR %g: file = signal-only + noise-only references" % snr)
        est1, a = regression_snr(y, s, fs)
        f = np.fft.fftfreq(len(y), 1 / fs)
        Y = np.abs(np.fft.fft(y)) ** 2 / len(y) ** 2
        outer = np.abs(f - truth["emitters"][0]["offset_hz"]) > 350e3
        n0 = np.sum(Y[outer]) / (np.sum(outer) * fs / len(y))
        c = np.sum(Y) - n0 * fs
        est2 = 10 * np.log10(c / (n0 * S.GSM_RS))
        print("SNR %g dB: regression %.3f dB (gain %.5f), spectral %.3f dB, truth noise %.3f dBFS/Hz vs %.3f" %
              (snr, est1, abs(a), est2, truth["noise"]["n0_dbfs_per_hz"], 10 * np.log10(n0)))
        S.check(abs(est1 - snr) < 0.2, "SNR %g: regression estimate %.3f within 0.2 dB" % (snr, est1))
        S.check(abs(est2 - snr) < 0.2, "SNR %g: spectral estimate %.3f within 0.2 dB" % (snr, est2))
        S.check(abs(10 * np.log10(np.mean(np.abs(s) ** 2)) - truth["emitters"][0]["power_dbfs"]) < 0.05,
                "SNR %g: carrier power matches truth power_dbfs" % snr)

    # Wideband: three C0s, traffic bursts and a UMTS cell in one 10 MHz recording at ci16.
    base = os.path.join(d, "wide")
    S.synth(["--gsm", "80:1:2:15", "--gsm", "85:3:4:20", "--traffic", "83:1,2:12", "--rate", "10e6",
             "--freq", "948.5e6", "--umts", "100:-12:3030", "--datatype", "ci16_le", "--duration", "0.2",
             "--seed", "5"], base)
    y, meta, truth = S.load(base)
    fs = truth["recording"]["sample_rate_hz"]
    n0 = 10 ** (truth["noise"]["n0_dbfs_per_hz"] / 10)
    for e in truth["emitters"]:
        if e["type"] == "umts_cell":
            S.check(abs(e["offset_hz"] - (e["freq_hz"] - 948.5e6)) < 1e-3 and abs(e["freq_hz"] - 946e6) < 1,
                    "UARFCN 3030 at 946.0 MHz, offset %.0f Hz" % e["offset_hz"])
            continue
        f0 = e["offset_hz"]
        p = S.band_power(y, fs, f0 - 135e3, f0 + 135e3) - n0 * 270e3
        duty = 1.0 if e["type"] == "gsm_carrier" else 2 / 8 * 25 / 26 * 148 / 156.25
        meas = 10 * np.log10(p / duty)
        print("%s at %+.0f Hz: %.2f dBFS (truth %.2f)" % (e["label"], f0, meas, e["power_dbfs"]))
        S.check(abs(meas - e["power_dbfs"]) < 0.3, "%s power at its offset within 0.3 dB" % e["label"])
    S.check(meta["annotations"][0]["core:freq_lower_edge"] < meta["annotations"][0]["core:freq_upper_edge"],
            "annotations carry frequency edges")


main()
