"""cellscan synth, channel and receiver impairments (impairments.h objects wired into the
generator): Rayleigh fading makes the power fade but keeps its mean; IQ imbalance puts an
image at the mirrored offset with the textbook image rejection; DC lands at its power."""
import os

import numpy as np

import synthlib as S


def window_powers(x, n):
    m = len(x) // n
    return np.mean(np.abs(x[: m * n].reshape(m, n)) ** 2, axis=1)


def main():
    d = S.tmpdir()
    # Fading: flat single-carrier GSM through the TU profile at 100 Hz Doppler, 4 s.
    base = os.path.join(d, "tu")
    common = ["--gsm", "30:1:1:20", "--content", "signal", "--duration", "4", "--seed", "6"]
    S.synth(common + ["--fading", "TU", "--doppler", "100"], base)
    x, _, truth = S.load(base)
    e = truth["emitters"][0]
    p = window_powers(x, 1083)  # 1 ms windows
    mean_db = 10 * np.log10(np.mean(p))
    cv = np.std(p) / np.mean(p)
    print("TU 100 Hz: mean %.2f dBFS (truth %.2f), power std/mean %.2f, deepest fade %.1f dB" %
          (mean_db, e["power_dbfs"], cv, 10 * np.log10(np.min(p) / np.mean(p))))
    S.check(e["fading"] == "TU" and e["doppler_hz"] == 100, "truth records the fading profile and Doppler")
    S.check(abs(mean_db - e["power_dbfs"]) < 1.0, "faded mean power within 1 dB of the truth")
    S.check(cv > 0.4 and np.min(p) / np.mean(p) < 0.1, "the power fades (std/mean %.2f)" % cv)
    base = os.path.join(d, "flat")
    S.synth(common, base)
    y, _, _ = S.load(base)
    q = window_powers(y, 1083)
    S.check(np.std(q) / np.mean(q) < 0.01, "without fading the C0 envelope is constant")

    # IQ imbalance: image of a carrier at +300 kHz appears at -300 kHz.
    base = os.path.join(d, "iq")
    g_db, ph = 1.0, 5.0
    S.synth(["--gsm", "30:1:1:20", "--freq", "940.7e6", "--rate", "2e6", "--content", "signal",
             "--iq-gain-db", repr(g_db), "--iq-phase-deg", repr(ph), "--duration", "0.2"], base)
    x, _, truth = S.load(base)
    f0 = truth["emitters"][0]["offset_hz"]
    pw = S.band_power(x, 2e6, f0 - 150e3, f0 + 150e3)
    im = S.band_power(x, 2e6, -f0 - 150e3, -f0 + 150e3)
    g, phi = 10 ** (g_db / 20), np.radians(ph)
    irr = 10 * np.log10((1 + 2 * g * np.cos(phi) + g * g) / (1 - 2 * g * np.cos(phi) + g * g))
    print("IQ %.1f dB / %.1f deg: image %.2f dB below the carrier (theory %.2f dB)" %
          (g_db, ph, 10 * np.log10(pw / im), irr))
    S.check(abs(10 * np.log10(pw / im) - irr) < 0.3, "image rejection matches theory within 0.3 dB")

    # DC offset.
    base = os.path.join(d, "dc")
    S.synth(["--gsm", "30:1:1:20", "--freq", "940.7e6", "--rate", "2e6", "--dc-dbfs", "-30",
             "--duration", "0.2"], base)
    x, _, _ = S.load(base)
    dc_db = 10 * np.log10(np.abs(np.mean(x)) ** 2)
    S.check(abs(dc_db + 30) < 0.2, "DC offset at %.2f dBFS (requested -30)" % dc_db)


main()
