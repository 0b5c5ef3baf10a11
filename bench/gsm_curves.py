#!/usr/bin/python3
"""GSM sensitivity and robustness curves: cellscan's GSM scanner and Debian's gr-gsm run on
the same generated C0 recordings (the real vf_call6 bursts re-modulated by `cellscan
synth`, DCS1800 ARFCN 725, BSIC 6-0), one recording per point.

Per point and receiver:
  FCCH Pd     detections within 8 symbols of a true FCCH, over the FCCH opportunities
  false       detections matching no FCCH
  BSIC        SCH opportunities decoded with the right BSIC and frame number
  CFO rms/bias  per-burst frequency estimates of the detected FCCHs against the truth;
              CRLB = 58.6 Hz / sqrt(SNR) (148-symbol tone, TS 45.010-style bound)
cellscan: bench_gsm_scan (the scanner of `cellscan scan`) over the whole recording.
gr-gsm: FCCH detection and its frequency estimate from its FCCH search state
(`freq_offset ... fcch_search` measurements), run fresh on a 15 ms segment around each
FCCH, the segments run back to back (its receiver searches for FCCHs only until it
synchronises; without the SCH after each FCCH it keeps searching); BSIC from the SCH bursts its receiver emits over the whole recording (it
emits an SCH burst only when the SCH decoded).

  bench/gsm_curves.py [--mode sensitivity|robustness] [--snr LO:HI:STEP] [--duration S]
                      [--no-grgsm] [--out FILE]
Environment: CELLSCAN (cellscan binary), BENCH_GSM_SCAN (bench_gsm_scan binary),
CS_SHARED_DATA (vf_call6 bursts). Python: /usr/bin/python3 with GNU Radio and gr-gsm.
"""
import argparse
import gc
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

RS = 1625000.0 / 6.0
FRAME_S = 1250.0 / RS
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def tool(env, rel):
    p = os.environ.get(env)
    if p:
        return p
    for build in ("build", "build-gsm", "build-bench"):
        q = os.path.join(ROOT, build, rel)
        if os.access(q, os.X_OK):
            return q
    sys.exit(f"gsm_curves: set {env} (no {rel} in a build directory)")


CELLSCAN = tool("CELLSCAN", "apps/cellscan")
# the benchmark driver of the same build as CELLSCAN unless given
_beside = os.path.join(os.path.dirname(os.path.dirname(CELLSCAN)), "bench", "bench_gsm_scan")
BENCH = os.environ.get("BENCH_GSM_SCAN") or (_beside if os.access(_beside, os.X_OK) else
                                             tool("BENCH_GSM_SCAN", "bench/bench_gsm_scan"))
DATA = os.environ.get("CS_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
BURSTS = os.path.join(DATA, "gsm", "vf_call6_arfcn725_bursts.bz2")
FC = 1847.8e6
FS = 1e6


def synth(base, snr, seed, duration, extra):
    cmd = [CELLSCAN, "synth", "--gsm", f"725:0:0:{snr}", "--bursts-file", BURSTS, "--band", "DCS1800",
           "--freq", str(FC), "--rate", str(FS), "--duration", str(duration), "--seed", str(seed), *extra,
           "-o", base]
    subprocess.run(cmd, check=True, capture_output=True)
    return json.load(open(base + ".truth.json"))


def opportunities(truth, duration):
    e = truth["emitters"][0]
    fn0, t0 = e["first_fn"], e["first_frame_s"]
    # a receiver whose sample clock runs ppm fast records more samples per second of signal
    stretch = 1.0 + truth["receiver"]["ppm"] * 1e-6
    fcch, sch = [], {}
    k = -2
    while (t0 + k * FRAME_S) * stretch < duration:
        t = (t0 + k * FRAME_S) * stretch
        m = (fn0 + k) % 51
        if 0.002 < t < duration - 0.003:
            if m % 10 == 0 and m <= 40:
                fcch.append(t)
            if m % 10 == 1 and m <= 41:
                sch[(fn0 + k) % 2715648] = t
        k += 1
    return fcch, sch, e["freq_error_hz"]


def match(times, dets, tol_sym=8.0):
    """Greedy: each opportunity takes its nearest detection within tol."""
    used, pairs = set(), []
    for t in times:
        best, bj = None, None
        for j, d in enumerate(dets):
            if j in used:
                continue
            dt = abs(d["t"] - t) * RS
            if dt <= tol_sym and (best is None or dt < best):
                best, bj = dt, j
        if bj is not None:
            used.add(bj)
            pairs.append((t, dets[bj]))
    return pairs, len(dets) - len(used)


def ours(path, fcch_t, sch_truth, true_err):
    out = subprocess.run([BENCH, "--band", "DCS1800", path], capture_output=True, text=True, check=True).stdout
    recs = [json.loads(l) for l in out.splitlines()]
    run = [r for r in recs if r["type"] == "run"][0]
    dets = [{"t": r["t_start_s"], "f": r["offset_hz"]} for r in recs
            if r["type"] == "fcch" and r["offset_ch_hz"] == 0.0]
    pairs, false = match(fcch_t, dets)
    errs = [d["f"] - true_err for _, d in pairs]
    good = {r["fn"] for r in recs if r["type"] == "sch" and r["offset_ch_hz"] == 0.0 and r["consistent"]
            and r["ncc"] == 6 and r["bcc"] == 0 and r["fn"] in sch_truth
            and abs(r["t_start_s"] - sch_truth[r["fn"]]) * RS < 8}
    return {"hits": len(pairs), "fcch": len(fcch_t), "false": false, "sch_ok": len(good),
            "sch": len(sch_truth), "errs": errs, "cpu_s": run["scan_cpu_s"], "dur_s": run["duration_s"]}


# ------------------------------------------------------------------ gr-gsm
def grgsm_available():
    try:
        import pmt  # noqa: F401
        from gnuradio import gr, blocks, gsm  # noqa: F401
        return True
    except Exception as e:  # pragma: no cover - environment dependent
        print(f"note: gr-gsm unavailable ({e}): its columns stay empty")
        return False


def grgsm_flowgraph(samples, fc, fs, with_bursts):
    import pmt
    from gnuradio import gr, blocks, gsm

    class Collector(gr.basic_block):
        def __init__(self):
            gr.basic_block.__init__(self, "collector", None, None)
            self.got = []
            self.message_port_register_in(pmt.intern("in"))
            self.set_msg_handler(pmt.intern("in"), self.handle)

        def handle(self, msg):
            self.got.append(msg)

    tb = gr.top_block()
    src = blocks.vector_source_c(samples, False)
    inp = gsm.gsm_input(ppm=0, osr=4, fc=fc, samp_rate_in=fs)
    rx = gsm.receiver(4, [0], [])
    meas, bursts = Collector(), Collector()
    tb.connect(src, inp, rx)
    tb.msg_connect(rx, "measurements", meas, "in")
    if with_bursts:  # as grgsm_decode: the frequency loop corrects the input
        ctl = gsm.clock_offset_control(fc, fs)
        tb.msg_connect(ctl, "ctrl", inp, "ctrl_in")
        tb.msg_connect(rx, "measurements", ctl, "measurements")
        tb.msg_connect(rx, "C0", bursts, "in")
    t0 = time.process_time()
    tb.run()
    cpu = time.process_time() - t0
    got_meas, got_bursts = meas.got, bursts.got
    # free the flowgraph's shared-memory buffers now (one flowgraph per FCCH opportunity)
    tb.disconnect_all()
    del tb, src, inp, rx, meas, bursts
    gc.collect()
    out_meas = []
    for m in got_meas:
        if pmt.is_tuple(m) and pmt.length(m) >= 3 and pmt.symbol_to_string(pmt.tuple_ref(m, 0)) == "freq_offset":
            out_meas.append((pmt.to_double(pmt.tuple_ref(m, 1)), pmt.symbol_to_string(pmt.tuple_ref(m, 2))))
    out_b = []
    for b in got_bursts:
        h = bytes(pmt.u8vector_elements(pmt.cdr(b))[:16])
        out_b.append((int.from_bytes(h[8:12], "big"), h[12], h[3]))
    return out_meas, out_b, cpu


def grgsm(path, fcch_t, sch_truth, true_err):
    x = np.fromfile(path, dtype=np.complex64)
    # FCCH search: the 15 ms around every FCCH (12 ms before it, no SCH after it), one after
    # the other; after each detection the receiver fails on the SCH a frame later (data of
    # the next segment) and returns to its FCCH search before the next segment's FCCH
    segs = [x[max(int((t - 0.012) * FS), 0):int((t + 0.003) * FS)] for t in fcch_t]
    meas, _, _ = grgsm_flowgraph(np.concatenate(segs), FC, FS, False)
    found = [v for v, state in meas if state == "fcch_search"]
    errs = [v - true_err for v in found[:len(fcch_t)]]
    _, bursts, cpu = grgsm_flowgraph(x, FC, FS, True)
    good = {fn for fn, sub, ts in bursts if sub == 3 and ts == 0 and fn in sch_truth}
    return {"hits": min(len(found), len(fcch_t)), "fcch": len(fcch_t), "false": 0, "sch_ok": len(good),
            "sch": len(sch_truth), "errs": errs, "cpu_s": cpu, "dur_s": len(x) / FS}


def pool(runs):
    """One point's recordings together: rates over all opportunities, every error."""
    if not runs:
        return None
    t = {k: sum(r[k] for r in runs) for k in ("hits", "fcch", "false", "sch_ok", "sch", "cpu_s", "dur_s")}
    t["pd"] = t["hits"] / max(t["fcch"], 1)
    t["bsic"] = t["sch_ok"] / max(t["sch"], 1)
    t["errs"] = [e for r in runs for e in r["errs"]]
    return t


def stats(errs):
    if not errs:
        return None, None
    e = np.array(errs)
    return float(np.sqrt(np.mean(e * e))), float(np.mean(e))


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def row(label, snr, r, g):
    crlb = 58.6 / math.sqrt(10 ** (snr / 10))
    rms, bias = stats(r["errs"])
    # standard error of the bias: the spread of the per-burst errors over sqrt(their number)
    se = float(np.std(r["errs"]) / math.sqrt(len(r["errs"]))) if len(r["errs"]) > 1 else None
    cells = [label, f"{r['pd']:.2f}", str(r["false"]), f"{r['bsic']:.2f}", fmt(rms, ".1f"), fmt(bias, "+.1f"),
             fmt(se, ".1f"), f"{crlb:.1f}", fmt(rms / crlb if rms else None, ".2f")]
    if g is not None:
        grms, gbias = stats(g["errs"])
        cells += [f"{g['pd']:.2f}", f"{g['bsic']:.2f}", fmt(grms, ".1f"), fmt(gbias, "+.1f")]
    return "| " + " | ".join(cells) + " |"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=("sensitivity", "robustness"), default="sensitivity")
    ap.add_argument("--snr", default=None, help="LO:HI:STEP in dB")
    ap.add_argument("--duration", type=float, default=5.0,
                    help="seconds per recording (108 FCCHs in 5 s; at most 10)")
    ap.add_argument("--repeats", type=int, default=1,
                    help="recordings per point (other seeds), pooled: more opportunities")
    ap.add_argument("--no-grgsm", action="store_true")
    ap.add_argument("--out", help="also write the table to this file")
    a = ap.parse_args()
    if not (0.5 <= a.duration <= 10.0) or not (1 <= a.repeats <= 100):
        ap.error("--duration must be 0.5..10 s (beyond, the generator's replay of the vf_call6 bursts no "
                 "longer follows the frame plan the opportunities are computed from) and --repeats 1..100")
    if not os.path.exists(BURSTS):
        print(f"SKIP: {BURSTS} absent")
        return 77
    use_gr = not a.no_grgsm and a.mode == "sensitivity" and grgsm_available()
    lo, hi, step = map(float, (a.snr or ("-10:12:1" if a.mode == "sensitivity" else "-6:9:3")).split(":"))
    snrs = [lo + i * step for i in range(int(round((hi - lo) / step)) + 1)]
    conditions = [("AWGN", [])]
    if a.mode == "robustness":
        conditions = [("offset +24 kHz", ["--cfo", "-24000"]), ("offset -24 kHz", ["--cfo", "24000"]),
                      ("receiver +20 ppm", ["--ppm", "20"]), ("receiver -20 ppm", ["--ppm", "-20"]),
                      ("TU 3 km/h", ["--fading", "TU", "--doppler", "5.1"]),
                      ("TU 50 km/h", ["--fading", "TU", "--doppler", "85.5"]),
                      ("HT 100 km/h", ["--fading", "HT", "--doppler", "171"])]
    head = ["condition / SNR dB", "FCCH Pd", "false", "BSIC", "CFO rms Hz", "bias Hz", "bias s.e. Hz",
            "CRLB Hz", "rms/CRLB"]
    if use_gr:
        head += ["gr-gsm Pd", "gr-gsm BSIC", "gr-gsm rms Hz", "gr-gsm bias Hz"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    print("\n".join(lines), flush=True)
    tmp = tempfile.mkdtemp(prefix="gsm_curves_")
    cpu_ours = cpu_gr = dur = 0.0
    try:
        # SCH opportunities: the frames whose SCH decodes on the noiseless signal (the vf_call6
        # capture repeats a stretch of frames, so a few SCH frames of the generator's list
        # carry other bits)
        clean = os.path.join(tmp, "clean")
        synth(clean, 30, 1, a.duration, ["--content", "signal"])
        out = subprocess.run([BENCH, "--band", "DCS1800", clean + ".sigmf-meta"], capture_output=True,
                             text=True, check=True).stdout
        decodable = {json.loads(l)["fn"] for l in out.splitlines() if '"type":"sch"' in l}
        seed = 100
        for name, extra in conditions:
            for snr in snrs:
                rs, gs = [], []
                for rep in range(a.repeats):
                    # the first recording of a point keeps the seed it always had
                    seed += 1 if rep == 0 else 1000
                    base = os.path.join(tmp, "c0")
                    truth = synth(base, snr, seed, a.duration, extra)
                    fcch_t, sch_truth, err = opportunities(truth, a.duration)
                    sch_truth = {fn: t for fn, t in sch_truth.items() if fn in decodable}
                    rs.append(ours(base + ".sigmf-meta", fcch_t, sch_truth, err))
                    if use_gr:
                        gs.append(grgsm(base + ".sigmf-data", fcch_t, sch_truth, err))
                    for ext in (".sigmf-data", ".sigmf-meta", ".truth.json"):
                        os.remove(base + ext)
                seed -= 1000 * (a.repeats - 1)
                r, g = pool(rs), pool(gs)
                cpu_ours += r["cpu_s"]
                dur += r["dur_s"]
                if g:
                    cpu_gr += g["cpu_s"]
                label = f"{name} {snr:+.0f}" if a.mode == "robustness" else f"{snr:+.0f}"
                line = row(label, snr, r, g)
                lines.append(line)
                print(line, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    note = (f"\n{r['fcch']} FCCH and {r['sch']} SCH opportunities per point (SCH: those that "
            f"decode without noise); cellscan scanner "
            f"{cpu_ours:.1f} CPU s for {dur:.0f} s of 1 MS/s recordings")
    if use_gr:
        note += f"; gr-gsm receiver (continuous runs) {cpu_gr:.1f} CPU s"
    print(note)
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join(lines) + "\n" + note + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
