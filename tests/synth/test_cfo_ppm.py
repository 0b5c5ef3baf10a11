"""cellscan synth, receiver errors: the frequency offset and sample-clock error of the
generated files equal the requested ones (within 1 Hz and 0.05 ppm), measured from the
signals themselves, with expectations computed here from first principles (not read
from the truth file):
 - GSM: the FCCH tone sits at (f_carrier + Rs/4 - f_LO) / (1 + e), f_LO = fc (1 + e) + cfo;
 - UMTS: the CPICH frame timing drifts by e (one frame = 76800 (1 + e) samples at 2 samples
   per chip), measured by correlating each frame with the RRC-shaped scrambling code; the
   CPICH phase stays put once the expected offset -fc e / (1 + e) is removed."""
import os

import numpy as np

import synthlib as S

FRAME_S = 1250 / S.GSM_RS


def fcch_residual_hz(x, truth, fs, expect_tone_hz, e):
    """Frequency left in the FCCH bursts after removing expect_tone_hz (lag-L phase)."""
    g = truth["emitters"][0]
    n = np.arange(len(x))
    r = x * np.exp(-2j * np.pi * expect_tone_hz * n / fs)
    lag = int(0.25 * 132 / S.GSM_RS * fs)
    acc = 0j
    count = 0
    for k in range(-1, int(len(x) / fs / FRAME_S) + 1):
        fn = (g["first_fn"] + k) % 2715648
        if fn % 51 % 10 != 0 or fn % 51 == 50:
            continue
        t0 = g["first_frame_s"] + k * FRAME_S
        a = int(np.ceil((t0 + 8 / S.GSM_RS) * fs * (1 + e)))
        b = int(np.floor((t0 + 140 / S.GSM_RS) * fs * (1 + e)))
        if a < 0 or b >= len(x):
            continue
        seg = r[a:b]
        acc += np.sum(seg[lag:] * np.conj(seg[:-lag]))
        count += 1
    return np.angle(acc) * fs / (2 * np.pi * lag), count


def gsm_case(d, cfo, ppm, tx_err, extra=()):
    base = os.path.join(d, "gsm")
    fc = 941.2e6
    S.synth(["--gsm", "30:4:0:30", "--freq", "%.1f" % fc, "--cfo", repr(cfo), "--ppm", repr(ppm),
             "--duration", "3", "--seed", "21"] + list(extra), base)
    x, _, truth = S.load(base)
    fs = truth["recording"]["sample_rate_hz"]
    e = ppm * 1e-6
    f_lo = fc * (1 + e) + cfo
    tone = (941.0e6 + tx_err + S.GSM_RS / 4 - f_lo) / (1 + e)
    res, count = fcch_residual_hz(x, truth, fs, tone, e)
    print("GSM cfo %g Hz ppm %g: FCCH tone residual %.3f Hz over %d bursts (expected tone %.2f Hz)" %
          (cfo, ppm, res, count, tone))
    S.check(count >= 60 and abs(res) < 1.0, "GSM FCCH frequency within 1 Hz (cfo %g, ppm %g)" % (cfo, ppm))
    S.check(abs(truth["emitters"][0]["offset_hz"] + S.GSM_RS / 4 / (1 + e) - tone) < 1e-3,
            "truth offset_hz agrees with the expected apparent offset")


def umts_case(d, ppm):
    base = os.path.join(d, "umts")
    fc = 2140e6
    S.synth(["--umts", "366:-11", "--ppm", repr(ppm), "--duration", "0.5", "--seed", "4"], base)
    x, _, truth = S.load(base)
    fs = truth["recording"]["sample_rate_hz"]
    S.check(fs == 7.68e6 and truth["recording"]["centre_freq_hz"] == fc, "UMTS default: 7.68 MS/s at 2140 MHz")
    e = ppm * 1e-6
    n = np.arange(len(x))
    x = x * np.exp(2j * np.pi * (fc * e / (1 + e)) * n / fs)  # remove the expected LO shift
    cell = truth["emitters"][0]
    off = cell["frame_offset_chips"]
    chips = S.scrambling_frame(cell["psc"])
    up = np.zeros(2 * 38400, dtype=complex)
    up[::2] = chips
    tmpl = np.convolve(up, S.rrc_taps(2), mode="full")
    centre = (len(S.rrc_taps(2)) - 1) // 2          # template sample of chip 0's peak
    W = 120
    pos, ph = [], []
    for k in range(1, int(0.5 / 0.01) - 1):
        pred = int(round(2 * (off + 38400 * k))) - centre
        seg = x[pred - W: pred - W + len(tmpl) + 2 * W]
        c = np.fft.ifft(np.fft.fft(seg) * np.conj(np.fft.fft(tmpl, len(seg))))[: 2 * W + 1]
        i = int(np.argmax(np.abs(c)))
        y0, y1, y2 = np.abs(c[i - 1: i + 2])
        frac = 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2)
        pos.append(pred - W + i + frac + centre)
        ph.append(np.angle(c[i]))
    k = np.arange(1, len(pos) + 1)
    slope = np.polyfit(k, pos, 1)[0]
    meas_ppm = (slope / 76800.0 - 1) * 1e6
    f_res = np.polyfit(k * 0.01, np.unwrap(ph), 1)[0] / (2 * np.pi)
    print("UMTS ppm %g: frame period %.5f samples -> %.4f ppm; residual frequency %.3f Hz" %
          (ppm, slope, meas_ppm, f_res))
    S.check(abs(meas_ppm - ppm) < 0.05, "UMTS sample clock error within 0.05 ppm (%.4f vs %g)" % (meas_ppm, ppm))
    S.check(abs(f_res) < 1.0, "UMTS carrier at -fc e/(1+e) within 1 Hz")


def main():
    d = S.tmpdir()
    gsm_case(d, 1234.5, 0.0, 0.0)
    gsm_case(d, -300.0, 3.0, 0.0)
    umts_case(d, 20.0)
    umts_case(d, -7.5)


main()
