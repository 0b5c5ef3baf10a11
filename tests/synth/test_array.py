"""cellscan synth, receiver arrays: the phase of every channel relative to channel 0 matches
the geometry and the emitter's bearing within 0.1 degrees, with the steering convention of
DF.md computed here independently (a_m = exp(+j 2 pi (r_m . u) / lambda), lambda at the
carrier's own frequency, u towards the source, body frame +x boresight, +y left, azimuth
clockwise from boresight = bearing - heading); for ULA and UCA, sources at 0, 90 and 30
degrees, elements numbered both ways; channel gain/phase/delay errors land as stated; the
calibration segment shows only the channel errors; collection, interleaved and .iqf
outputs hold the same samples."""
import json
import os
import struct

import numpy as np

import synthlib as S

C = 299792458.0


def steering(pos, freq, bearing, heading, elev=0.0):
    az, el = np.radians(bearing - heading), np.radians(elev)
    u = np.array([np.cos(el) * np.cos(az), -np.cos(el) * np.sin(az), np.sin(el)])
    return np.exp(2j * np.pi * (np.asarray(pos) @ u) * freq / C)


def load_interleaved(base, M):
    x, meta, truth = S.load(base)
    return x.reshape(-1, M).T, meta, truth


def rel_phases_deg(X, sl=slice(None)):
    return np.degrees(np.angle(np.sum(X[:, sl] * np.conj(X[0, sl]), axis=1)))


def wrap(d):
    return (d + 180.0) % 360.0 - 180.0


def run(d, name, args, M):
    base = os.path.join(d, name)
    S.synth(args + ["--array-output", "interleaved", "--duration", "0.05"], base)
    return load_interleaved(base, M)


def main():
    d = S.tmpdir()
    fc = 941e6
    lam = C / fc
    # UCA of 5, half-wavelength neighbours: r = lambda / (4 sin(pi/5)); element 0 on +x,
    # then clockwise seen from above.
    r = lam / (4 * np.sin(np.pi / 5))
    uca = [[r * np.cos(2 * np.pi * m / 5), -r * np.sin(2 * np.pi * m / 5), 0] for m in range(5)]
    ula = [[0, (1.5 - m) * lam / 2, 0] for m in range(4)]        # element 0 at +y (left)
    for geo, M, pos in (("uca", 5, uca), ("ula", 4, ula)):
        for bearing, heading in ((0, 0), (90, 0), (30, 0), (75, 45), (300, 10)):
            X, meta, truth = run(d, "%s_%d_%d" % (geo, bearing, heading),
                                 ["--array", "%s:%d" % (geo, M), "--heading", str(heading),
                                  "--gsm", "30:1:1:30", "--bearing", str(bearing), "--freq", repr(fc)], M)
            want = np.degrees(np.angle(steering(pos, 941.0e6, bearing, heading) /
                                       steering(pos, 941.0e6, bearing, heading)[0]))
            err = np.max(np.abs(wrap(rel_phases_deg(X) - want)))
            S.check(err < 0.1, "%s, bearing %d, heading %d: channel phases within %.4f deg of the geometry" %
                    (geo.upper(), bearing, heading, err))
        g = truth["array"]["positions_m"]
        S.check(np.max(np.abs(np.array(g) - np.array(pos))) < 1e-9, "%s: truth positions as documented" % geo.upper())
    # Elements numbered the other way (custom geometry, reversed ULA): phases reverse.
    scen = {"centre_freq_hz": fc, "duration_s": 0.05, "gsm": [{"arfcn": 30, "snr_db": 30, "bearing_deg": 30}],
            "array": {"geometry": "custom", "elements": 4, "positions_m": ula[::-1], "output": "interleaved"}}
    path = os.path.join(d, "rev.json")
    json.dump(scen, open(path, "w"))
    base = os.path.join(d, "rev")
    S.synth(["--scenario", path], base)
    X, _, _ = load_interleaved(base, 4)
    want = np.degrees(np.angle(steering(ula[::-1], 941.0e6, 30, 0) / steering(ula[::-1], 941.0e6, 30, 0)[0]))
    S.check(np.max(np.abs(wrap(rel_phases_deg(X) - want))) < 0.1, "reversed numbering: phases follow the positions")

    # Two emitters on different frequencies (GSM 941 MHz, UMTS 2112.4 MHz), each at its own
    # wavelength, separated by frequency; channel errors and a calibration segment.
    ph_err, g_err, dl_ns = [0, 12.5, -40, 7], [0, 1, -0.5, 0.25], [0, 0, 30, 0]
    base = os.path.join(d, "mix")
    fcu = 2112.4e6
    S.synth(["--array", "ula:4:0.08", "--heading", "20", "--umts", "100:-10.3:10562", "--bearing", "110",
             "--freq", repr(fcu + 1e6), "--rate", "7.68e6", "--cal-seconds", "0.02", "--cal-dbfs", "-8",
             "--channel-phase-deg", ",".join(map(str, ph_err)), "--channel-gain-db", ",".join(map(str, g_err)),
             "--channel-delay-ns", ",".join(map(str, dl_ns)), "--array-output", "interleaved",
             "--duration", "0.2", "--seed", "12"], base)
    X, meta, truth = load_interleaved(base, 4)
    cal = truth["array"]["calibration_samples"][1]
    pos = [[0, (1.5 - m) * 0.08, 0] for m in range(4)]
    f_bb = -1e6  # the cell sits 1 MHz below the centre: a baseband delay turns its phase
    want = np.degrees(np.angle(steering(pos, fcu, 110, 20) / steering(pos, fcu, 110, 20)[0])) + \
        np.array(ph_err) - 360 * f_bb * np.array(dl_ns) * 1e-9
    meas = rel_phases_deg(X, slice(cal + 1000, None))
    err = np.max(np.abs(wrap(meas - want)))
    S.check(err < 0.1, "UMTS at its own wavelength with channel errors: phases within %.4f deg" % err)
    calp = rel_phases_deg(X, slice(1000, cal - 1000))
    # receiver noise adds equally to every channel: take it out (truth's level); the delayed
    # channel's fractional-delay filter trims the band edges of the white calibration noise
    p = np.mean(np.abs(X[:, 1000:cal - 1000]) ** 2, axis=1) - 10 ** (truth["noise"]["power_dbfs"] / 10)
    S.check(np.max(np.abs(wrap(calp[[0, 1, 3]] - np.array(ph_err)[[0, 1, 3]]))) < 0.1,
            "calibration segment: phases are the channel errors alone")
    S.check(np.max(np.abs(10 * np.log10(p / p[0]) - np.array(g_err))[[0, 1, 3]]) < 0.05,
            "calibration segment: gains are the channel errors alone")
    caps = meta["captures"]
    S.check(caps[0].get("spatial:calibration", {}).get("caltype") == "xcorr" and caps[1]["core:sample_start"] == cal,
            "captures mark the calibration segment")
    ann = [a for a in meta["annotations"] if a.get("core:label") == "UMTS PSC 100"][0]
    S.check(abs(ann["spatial:signal_azimuth"] - 90.0) < 1e-9, "annotation: array azimuth 90 = bearing 110 - heading 20")
    S.check(meta["global"]["spatial:num_elements"] == 4 and meta["global"]["core:num_channels"] == 4,
            "interleaved: spatial:num_elements and core:num_channels")

    # The three output formats hold the same samples.
    args = ["--array", "uca:3", "--gsm", "30:1:1:20", "--bearing", "45", "--duration", "0.03", "--seed", "2",
            "--cal-seconds", "0.005"]
    b1, b2, b3 = (os.path.join(d, n) for n in ("o_int", "o_col", "o_iqf"))
    S.synth(args + ["--array-output", "interleaved"], b1)
    S.synth(args + ["--array-output", "collection"], b2)
    S.synth(args + ["--array-output", "iqf", "--iqf-frame-samples", "4096"], b3)
    X, _, truth = load_interleaved(b1, 3)
    coll = json.load(open(b2 + ".sigmf-collection"))["collection"]
    S.check([s["name"] for s in coll["core:streams"]] == ["o_col-ch0", "o_col-ch1", "o_col-ch2"] and
            len(coll["spatial:element_geometry"]) == 3, "collection lists its 3 recordings and the geometry")
    same = True
    for m in range(3):
        y, meta, _ = S.load(b2 + "-ch%d" % m)
        same &= np.array_equal(y, X[m]) and meta["global"]["spatial:channel_index"] == m
    S.check(same, "collection members equal the interleaved channels")
    raw = open(b3 + ".iqf", "rb").read()
    chans, off, types = [[] for _ in range(3)], 0, []
    while off < len(raw):
        h = struct.unpack("<256I", raw[off:off + 1024])
        n = h[16]
        S.check(h[0] == 0x2BF7B95A and h[7] == 3, "iqf frame at %d: sync word and 3 channels" % off) if off == 0 else None
        types.append(h[1])
        data = np.frombuffer(raw[off + 1024: off + 1024 + 3 * n * 8], dtype="<f4").astype(float)
        z = data[0::2] + 1j * data[1::2]
        for m in range(3):
            chans[m].append(z[m * n:(m + 1) * n])
        off += 1024 + 3 * n * 8
    Y = np.array([np.concatenate(c) for c in chans])
    S.check(np.array_equal(Y, X), "iqf frames hold the same samples (%d frames)" % len(types))
    S.check(types[:2] == [3, 3] and set(types[2:]) == {0} and len(types) == 8,
            "iqf: frames over the calibration segment typed 3, the others 0")


main()
