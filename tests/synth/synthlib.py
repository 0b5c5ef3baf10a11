"""Helpers for the `cellscan synth` tests: run the generator, read what it wrote, and the
independent reference pieces the measurements need (written here from the standards'
text in docs GSM.md / UMTS.md, not from the project's C code).
Run with /usr/bin/python3 (numpy only)."""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

CELLSCAN = os.environ.get("CELLSCAN", "cellscan")
GSM_RS = 1625000.0 / 6.0
CHIP_RATE = 3.84e6

_DTYPES = {"cf32_le": ("<f4", 1.0), "ci16_le": ("<i2", 32768.0), "ci8": ("i1", 128.0),
           "cf64_le": ("<f8", 1.0)}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg)


def tmpdir():
    """A scratch directory removed when the test exits."""
    d = tempfile.mkdtemp(prefix="cs_synth_test_")
    atexit.register(shutil.rmtree, d, True)
    return d


def synth(args, out, expect_ok=True):
    """Run cellscan synth with args, writing to basename out; returns (rc, stdout, stderr)."""
    p = subprocess.run([CELLSCAN, "synth"] + args + ["-o", out], capture_output=True, text=True)
    if expect_ok and p.returncode != 0:
        fail("cellscan synth %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr.strip()))
    return p.returncode, p.stdout, p.stderr


def load(base, truth_base=None):
    """(samples as complex128 at full scale 1.0, meta dict, truth dict or None)."""
    meta = json.load(open(base + ".sigmf-meta"))
    truth_path = (truth_base or base) + ".truth.json"
    truth = json.load(open(truth_path)) if os.path.exists(truth_path) else None
    dt, fs = _DTYPES[meta["global"]["core:datatype"]]
    raw = np.fromfile(base + ".sigmf-data", dtype=dt).astype(np.float64) / fs
    return raw[0::2] + 1j * raw[1::2], meta, truth


# ---- UMTS (UMTS.md, TS 25.213 §5.2.2) -------------------------------------------------

_N18 = (1 << 18) - 1
_xy = None


def _mseq():
    global _xy
    if _xy is None:
        x = np.zeros(_N18 + 18, dtype=np.uint8)
        y = np.zeros(_N18 + 18, dtype=np.uint8)
        x[0] = 1
        y[:18] = 1
        for i in range(_N18):
            x[i + 18] = x[i + 7] ^ x[i]
            y[i + 18] = y[i + 10] ^ y[i + 7] ^ y[i + 5] ^ y[i]
        _xy = (x[:_N18], y[:_N18])
    return _xy


def scrambling_frame(psc):
    """38400 complex chips (+-1 +-j) of primary scrambling code index psc."""
    x, y = _mseq()
    n = 16 * psc
    i = np.arange(38400)
    zi = x[(i + n) % _N18] ^ y[i]
    zq = x[(i + 131072 + n) % _N18] ^ y[(i + 131072) % _N18]
    return (1.0 - 2.0 * zi) + 1j * (1.0 - 2.0 * zq)


def rrc_taps(sps, span=16, alpha=0.22):
    """Matched filter p(n/sps)/sps of the unit-energy root-raised cosine: unit gain at chip
    instants after transmit shaping."""
    t = np.arange(-span * sps, span * sps + 1) / sps
    p = np.empty_like(t)
    for k, tt in enumerate(t):
        if abs(tt) < 1e-12:
            p[k] = 1 - alpha + 4 * alpha / np.pi
        elif abs(abs(tt) - 1 / (4 * alpha)) < 1e-9:
            p[k] = alpha / np.sqrt(2) * ((1 + 2 / np.pi) * np.sin(np.pi / (4 * alpha)) +
                                         (1 - 2 / np.pi) * np.cos(np.pi / (4 * alpha)))
        else:
            p[k] = (np.sin(np.pi * tt * (1 - alpha)) + 4 * alpha * tt * np.cos(np.pi * tt * (1 + alpha))) / \
                   (np.pi * tt * (1 - (4 * alpha * tt) ** 2))
    return p / sps


def band_power(x, fs, f_lo, f_hi):
    """Mean power of x inside [f_lo, f_hi] (Hz relative to the centre): brick-wall FFT."""
    X = np.fft.fft(x)
    f = np.fft.fftfreq(len(x), 1 / fs)
    sel = (f >= f_lo) & (f <= f_hi)
    return np.sum(np.abs(X[sel]) ** 2) / len(x) ** 2


# ---- GSM (GSM.md, TS 45.003 §4.7) -----------------------------------------------------

SCH_TRAINING = "1011100101100010000001000000111100101101010001010111011000011011"


def sch_burst_bits(ncc, bcc, fn):
    """148-bit SCH burst for BSIC (ncc, bcc) at frame fn, written from GSM.md's layout."""
    t1, t2, t3 = fn // 1326, fn % 26, fn % 51
    t3p = (t3 - 1) // 10
    d = [0] * 25
    for k, b in enumerate([(ncc >> 2) & 1, (ncc >> 1) & 1, ncc & 1]):
        d[7 - k] = b                       # NCC = d7 d6 d5
    for k, b in enumerate([(bcc >> 2) & 1, (bcc >> 1) & 1, bcc & 1]):
        d[4 - k] = b                       # BCC = d4 d3 d2
    t1_pos = [1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 23]
    for k, pos in enumerate(t1_pos):
        d[pos] = (t1 >> (10 - k)) & 1
    for k, pos in enumerate([22, 21, 20, 19, 18]):
        d[pos] = (t2 >> (4 - k)) & 1
    for k, pos in enumerate([17, 16, 24]):
        d[pos] = (t3p >> (2 - k)) & 1
    # parity: remainder of d(D) * D^10 by g = D^10+D^8+D^6+D^5+D^4+D^2+1, inverted
    g = [1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1]  # coefficients D^10 .. D^0
    reg = d + [0] * 10
    for i in range(25):
        if reg[i]:
            for k in range(11):
                reg[i + k] ^= g[k]
    p = [1 - b for b in reg[25:]]
    u = d + p + [0, 0, 0, 0]
    c = []
    for k in range(len(u)):
        uk = lambda j: u[k - j] if k - j >= 0 else 0
        c.append(uk(0) ^ uk(3) ^ uk(4))
        c.append(uk(0) ^ uk(1) ^ uk(3) ^ uk(4))
    burst = [0, 0, 0] + c[:39] + [int(b) for b in SCH_TRAINING] + c[39:] + [0, 0, 0]
    assert len(burst) == 148
    return burst
