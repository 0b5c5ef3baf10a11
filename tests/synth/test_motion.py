"""cellscan synth, moving receiver and hand-turned antenna: the power seen while a
directional antenna turns follows its raised-cosine pattern around the emitter's bearing
(peak within 1 degree, -3 dB at half the beamwidth, the front/back floor behind); captures
and BASENAME.track.csv carry the receiver positions (checked against a great-circle
computation written here); an array's channel phases follow the bearing from the moving
receiver to the emitter's location within 0.1 degrees; path loss scales with distance."""
import csv
import json
import os

import numpy as np

import synthlib as S

R_EARTH = 6371008.8
C = 299792458.0


def destination(lat, lon, dist, course):
    p1, l1, d, th = np.radians(lat), np.radians(lon), dist / R_EARTH, np.radians(course)
    p2 = np.arcsin(np.sin(p1) * np.cos(d) + np.cos(p1) * np.sin(d) * np.cos(th))
    l2 = l1 + np.arctan2(np.sin(th) * np.sin(d) * np.cos(p1), np.cos(d) - np.sin(p1) * np.sin(p2))
    return np.degrees(p2), np.degrees(l2)


def bearing_dist(lat1, lon1, lat2, lon2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    b = np.degrees(np.arctan2(np.sin(dl) * np.cos(p2), np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return b % 360, 2 * R_EARTH * np.arctan2(np.sqrt(a), np.sqrt(1 - a))


def pattern_db(off_deg, bw=60.0, fb=20.0):
    k = np.log(0.5) / np.log(0.5 * (1 + np.cos(np.radians(bw / 2))))
    g = (0.5 * (1 + np.cos(np.radians(off_deg)))) ** k
    return 10 * np.log10(np.maximum(g, 10 ** (-fb / 10)))


def main():
    d = S.tmpdir()
    # Hand-turned antenna: one full turn in 4 s, emitter at 123 degrees.
    base = os.path.join(d, "turn")
    S.synth(["--gsm", "30:1:1:30", "--bearing", "123", "--antenna", "60:20", "--turn", "0:90", "--duration", "4",
             "--capture-interval", "0.05", "--seed", "3"], base)
    x, meta, truth = S.load(base)
    fs = truth["recording"]["sample_rate_hz"]
    n0 = 10 ** (truth["noise"]["power_dbfs"] / 10)
    rows = list(csv.DictReader(open(base + ".track.csv")))
    S.check(len(rows) == 80 and abs(float(rows[10]["heading_deg"]) - 45.0) < 1e-6, "track CSV: 80 rows, heading 45 at 0.5 s")
    win = int(0.01 * fs)
    p = np.array([np.mean(np.abs(x[k:k + win]) ** 2) for k in range(0, len(x) - win, win)]) - n0
    hd = (np.arange(len(p)) + 0.5) * win / fs * 90.0
    p_db = 10 * np.log10(np.maximum(p, 1e-30) / 10 ** (truth["emitters"][0]["power_dbfs"] / 10))
    i = int(np.argmax(p_db))
    y0, y1, y2 = p_db[i - 1: i + 2]
    peak = hd[i] + 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2) * (hd[1] - hd[0])
    print("turning antenna: peak at %.2f deg (emitter 123), %.2f dB there" % (peak, y1))
    S.check(abs(peak - 123.0) < 1.0, "power peaks at the emitter's bearing within 1 deg")
    want = pattern_db(hd - 123.0)
    sel = want > -15  # where the carrier stands well above the noise
    err = np.max(np.abs(p_db[sel] - want[sel]))
    S.check(err < 0.3, "power follows the raised-cosine pattern within %.3f dB over the main lobe" % err)
    back = np.abs(((hd - 123.0 + 180) % 360) - 180) > 150
    S.check(abs(np.median(p_db[back]) + 20) < 1.0, "front/back floor -20 dB behind the antenna (%.2f)" % np.median(p_db[back]))
    S.check(abs(meta["captures"][20]["spatial:aperture_azimuth"] - 90.0) < 1e-3, "captures carry the antenna heading")

    # Moving receiver with a UCA, emitter located 11 km away.
    lat0, lon0, tx = 48.1, 16.3, (48.2, 16.4)
    base = os.path.join(d, "drive")
    S.synth(["--array", "uca:5", "--array-output", "interleaved", "--gsm", "30:1:1:30",
             "--location", "%g,%g" % tx, "--position", "%g,%g,120" % (lat0, lon0), "--move", "60:90",
             "--duration", "2", "--capture-interval", "0.25", "--seed", "5"], base)
    x, meta, truth = S.load(base)
    X = x.reshape(-1, 5).T
    fs = truth["recording"]["sample_rate_hz"]
    caps = meta["captures"]
    ok = True
    for c in caps:
        t = c["core:sample_start"] / fs
        la, lo = destination(lat0, lon0, 60 * t, 90.0)
        lon_c, lat_c, alt = c["core:geolocation"]["coordinates"]
        ok &= abs(la - lat_c) < 1e-7 and abs(lo - lon_c) < 1e-7 and alt == 120
    S.check(ok and len(caps) == 8, "captures: core:geolocation along the great circle (8 captures)")
    pos = np.array(truth["array"]["positions_m"])
    lam = C / 941.0e6
    for t0 in (0.0, 1.8):
        sl = slice(int(t0 * fs), int((t0 + 0.2) * fs))
        la, lo = destination(lat0, lon0, 60 * (t0 + 0.1), 90.0)
        b, _ = bearing_dist(la, lo, *tx)
        az = np.radians(b)
        u = np.array([np.cos(az), -np.sin(az), 0.0])
        a = np.exp(2j * np.pi * (pos @ u) / lam)
        want = np.degrees(np.angle(a / a[0]))
        meas = np.degrees(np.angle(np.sum(X[:, sl] * np.conj(X[0, sl]), axis=1)))
        err = np.max(np.abs((meas - want + 180) % 360 - 180))
        print("t %.1f s: bearing %.4f deg, phase error %.4f deg" % (t0, b, err))
        S.check(err < 0.1, "array phases follow the bearing from the moving receiver at t=%.1f s" % t0)
    rows = truth["motion"]["rows"]
    b_end, _ = bearing_dist(*destination(lat0, lon0, 60 * 1.75, 90.0), *tx)
    S.check(abs(rows[-1]["emitters"][0]["bearing_deg"] - b_end) < 1e-6, "truth rows hold the bearing over time")

    # Path loss: driving towards an emitter 1 km north at 50 m/s for 4 s (1000 m -> 800 m).
    base = os.path.join(d, "near")
    tx = destination(lat0, lon0, 1000.0, 0.0)
    S.synth(["--gsm", "30:1:1:30", "--location", "%.9f,%.9f" % tx, "--position", "%g,%g" % (lat0, lon0),
             "--move", "50:0", "--path-loss", "2", "--duration", "4", "--content", "signal"], base)
    x, _, truth = S.load(base)
    fs = truth["recording"]["sample_rate_hz"]
    p0 = np.mean(np.abs(x[: int(0.05 * fs)]) ** 2)
    p1 = np.mean(np.abs(x[-int(0.05 * fs):]) ** 2)
    want = 20 * np.log10(1000.0 / (1000.0 - 50 * 3.975))
    print("path loss: %.3f dB more at the end (expected %.3f)" % (10 * np.log10(p1 / p0), want))
    S.check(abs(10 * np.log10(p1 / p0) - want) < 0.1, "power grows as distance^-2")


main()
