#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.synth_source: the same samples, bit for bit, as `cellscan synth` writes as
cf32 (one channel and arrays, scenario files and JSON text, overrides, endless streams), the
start tags and truth tag, the CLI's error messages, and examples/synth_to_spectrum.grc
compiled with grcc and run headless.
Env: CELLSCAN (CLI), CS_SOURCE_DIR, CS_BUILD_DIR; PYTHONPATH with the built gnuradio.cellscan.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan

SOURCE_DIR = os.environ.get("CS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
CLI = os.environ.get("CELLSCAN") or shutil.which("cellscan")
RUN_TIMEOUT_S = 120

# GSM C0 with fading, traffic bursts, receiver errors: most of the generator's chain.
GSM_SCENARIO = {
    "seed": 3, "duration_s": 0.02, "band": "E-GSM900",
    "receiver": {"ppm": 1.5, "cfo_hz": 300, "iq_gain_db": 0.3, "iq_phase_deg": 2, "dc_dbfs": -40},
    "gsm": [{"arfcn": 30, "ncc": 4, "bcc": 0, "snr_db": 25, "fading": "TU"}],
    "gsm_bursts": [{"link": "downlink", "arfcn": 32, "timeslots": [2, 3], "snr_db": 15}],
}
GSM_SCENARIO_YAML = """\
seed: 3
duration_s: 0.02
band: E-GSM900
receiver: {ppm: 1.5, cfo_hz: 300, iq_gain_db: 0.3, iq_phase_deg: 2, dc_dbfs: -40}
gsm:
  - {arfcn: 30, ncc: 4, bcc: 0, snr_db: 25, fading: TU}
gsm_bursts:
  - {link: downlink, arfcn: 32, timeslots: [2, 3], snr_db: 15}
"""
UMTS_SCENARIO = {
    "duration_s": 0.01,
    "umts": [{"psc": 100, "ecio_db": -12, "uarfcn": 10700},
             {"psc": 200, "ecio_db": -15, "uarfcn": 10700, "fading": "PA"}],
}
ARRAY_SCENARIO = {
    "seed": 9, "duration_s": 0.01,
    "array": {"geometry": "ula", "elements": 4, "heading_deg": 20, "output": "interleaved",
              "phase_deg": [0, 10, -20, 5], "delay_ns": [0, 0, 150, 0], "calibration_s": 0.002},
    "gsm": [{"arfcn": 60, "ncc": 1, "bcc": 7, "snr_db": 20, "bearing_deg": 65}],
}


def tags_by_key(sink, key):
    """{offset: value} of one tag key on a vector sink."""
    return {t.offset: t.value for t in sink.tags() if pmt.symbol_to_string(t.key) == key}


def comparable_truth(doc):
    """A truth document without what only a written recording has (changes doc)."""
    rec = doc["recording"]
    for key in ("basename", "clipped_components", "measured_power_dbfs"):
        rec.pop(key, None)
    return doc


class qa_synth_source(gr_unittest.TestCase):

    def setUp(self):
        self.tb = gr.top_block()
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tb = None
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def write_json(self, name, scenario):
        with open(self.path(name), "w") as f:
            json.dump(scenario, f)
        return self.path(name)

    def cli(self, *args):
        """Run `cellscan synth ARGS`; (exit status, stderr)."""
        if not CLI:
            self.skipTest("cellscan CLI not found (set CELLSCAN)")
        proc = subprocess.run([CLI, "synth"] + list(args), capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_S)
        return proc.returncode, proc.stderr

    def cli_recording(self, basename, *args):
        """`cellscan synth ARGS -o BASENAME` (cf32): frames (n, channels), meta, truth."""
        status, err = self.cli(*args, "-o", self.path(basename))
        self.assertEqual(status, 0, err)
        with open(self.path(basename + ".sigmf-meta")) as f:
            meta = json.load(f)
        with open(self.path(basename + ".truth.json")) as f:
            truth = json.load(f)
        self.assertEqual(meta["global"]["core:datatype"], "cf32_le")
        channels = meta["global"].get("core:num_channels", 1)
        frames = np.fromfile(self.path(basename + ".sigmf-data"), dtype="<c8")
        return frames.reshape(-1, channels), meta, truth

    def run_source(self, src, n_outputs=1, head=None):
        sinks = [blocks.vector_sink_c() for _ in range(n_outputs)]
        for i, sink in enumerate(sinks):
            if head is None:
                self.tb.connect((src, i), sink)
            else:
                self.tb.connect((src, i), blocks.head(gr.sizeof_gr_complex, head), sink)
        self.tb.run()
        return sinks

    def assert_cli_error(self, make_block, *cli_args):
        """The block's exception is the CLI's one-line message, synth_source for cellscan."""
        status, err = self.cli(*cli_args, "-o", self.path("never"))
        self.assertNotEqual(status, 0)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith("cellscan: "), err)
        with self.assertRaises(RuntimeError) as ctx:
            make_block()
        self.assertEqual(str(ctx.exception), "synth_source: " + err[len("cellscan: "):].strip())

    def test_001_built_module_and_docstrings(self):
        build_dir = os.environ.get("CS_BUILD_DIR")
        if build_dir:  # under ctest: must test the build tree, not an installed copy
            self.assertTrue(os.path.realpath(cellscan.__file__).startswith(
                os.path.realpath(build_dir)), cellscan.__file__)
        self.assertIn("cellscan synth", cellscan.synth_source.__doc__)
        self.assertIn("duration_s", cellscan.synth_source.__init__.__doc__)

    def test_002_scenario_file_equals_cli_bit_for_bit(self):
        scenario = self.write_json("gsm.json", GSM_SCENARIO)
        frames, meta, truth = self.cli_recording("gsm", "--scenario", scenario)
        # -1 seed and duration: the scenario's own, as the CLI without options.
        src = cellscan.synth_source(scenario, 0, 0, -1, -1)
        self.assertEqual((src.num_channels(), src.num_samples()), (1, len(frames)))
        (sink,) = self.run_source(src)
        x = np.array(sink.data(), dtype=np.complex64)
        self.assertEqual(len(x), 21667)  # 0.02 s at 13e6/12 Hz
        self.assertTrue(np.array_equal(x, frames[:, 0]), "samples differ from the CLI's")

        self.assertEqual(sorted(tags_by_key(sink, "rx_time")), [0])
        t = tags_by_key(sink, "rx_time")[0]
        self.assertEqual((pmt.to_uint64(pmt.tuple_ref(t, 0)), pmt.to_double(pmt.tuple_ref(t, 1))),
                         (0, 0.0))
        rate = tags_by_key(sink, "rx_rate")
        freq = tags_by_key(sink, "rx_freq")
        self.assertEqual({k: pmt.to_double(v) for k, v in rate.items()},
                         {0: meta["global"]["core:sample_rate"]})
        self.assertEqual({k: pmt.to_double(v) for k, v in freq.items()},
                         {0: meta["captures"][0]["core:frequency"]})
        tag_truth = json.loads(pmt.symbol_to_string(tags_by_key(sink, "truth")[0]))
        self.assertEqual(json.loads(src.truth_json()), tag_truth)
        self.assertIsNone(tag_truth["recording"]["basename"])
        self.assertEqual(tag_truth["recording"]["num_samples"], len(frames))
        self.assertEqual(comparable_truth(tag_truth), comparable_truth(truth))

    def test_003_json_text_and_overrides_equal_cli_options(self):
        scenario = self.write_json("gsm.json", GSM_SCENARIO)
        frames, _, _ = self.cli_recording("ovr", "--scenario", scenario, "--rate", "2e6",
                                          "--freq", "941.2e6", "--seed", "7", "--duration", "0.015")
        src = cellscan.synth_source(json.dumps(GSM_SCENARIO), 2e6, 941.2e6, 7, 0.015)
        self.assertEqual((src.sample_rate_hz(), src.centre_freq_hz()), (2e6, 941.2e6))
        (sink,) = self.run_source(src)
        x = np.array(sink.data(), dtype=np.complex64)
        self.assertEqual(len(x), 30000)
        self.assertTrue(np.array_equal(x, frames[:, 0]), "samples differ from the CLI's")
        self.assertEqual(pmt.to_double(tags_by_key(sink, "rx_rate")[0]), 2e6)
        self.assertEqual(pmt.to_double(tags_by_key(sink, "rx_freq")[0]), 941.2e6)

        # The seed override is what made them equal: the scenario's seed 3 gives others.
        self.tb = gr.top_block()
        (other,) = self.run_source(cellscan.synth_source(json.dumps(GSM_SCENARIO), 2e6, 941.2e6,
                                                         -1, 0.015))
        self.assertFalse(np.array_equal(np.array(other.data(), dtype=np.complex64), x))

    def test_004_yaml_file_equals_json(self):
        with open(self.path("gsm.yaml"), "w") as f:
            f.write(GSM_SCENARIO_YAML)
        frames, _, _ = self.cli_recording("yaml", "--scenario", self.path("gsm.yaml"))
        (sink,) = self.run_source(cellscan.synth_source(self.path("gsm.yaml"), duration_s=-1))
        self.assertTrue(np.array_equal(np.array(sink.data(), dtype=np.complex64), frames[:, 0]))
        self.tb = gr.top_block()
        (as_json,) = self.run_source(cellscan.synth_source(json.dumps(GSM_SCENARIO), duration_s=-1))
        self.assertTrue(np.array_equal(np.array(as_json.data(), dtype=np.complex64), frames[:, 0]))

    def test_005_umts_endless_stream_starts_with_the_recording(self):
        scenario = self.write_json("umts.json", UMTS_SCENARIO)
        frames, _, truth = self.cli_recording("umts", "--scenario", scenario, "--seed", "21")
        src = cellscan.synth_source(scenario, seed=21, duration_s=0)
        self.assertEqual(src.num_samples(), 0)
        self.assertEqual(src.sample_rate_hz(), 7.68e6)
        (sink,) = self.run_source(src, head=len(frames))
        self.assertTrue(np.array_equal(np.array(sink.data(), dtype=np.complex64), frames[:, 0]))
        tag_truth = json.loads(pmt.symbol_to_string(tags_by_key(sink, "truth")[0]))
        self.assertIsNone(tag_truth["recording"]["num_samples"])
        self.assertIsNone(tag_truth["recording"]["duration_s"])
        self.assertEqual([e["psc"] for e in tag_truth["emitters"]], [100, 200])
        self.assertEqual(tag_truth["emitters"], truth["emitters"])

    def test_006_array_channels_equal_interleaved_cli_recording(self):
        scenario = self.write_json("array.json", ARRAY_SCENARIO)
        frames, meta, _ = self.cli_recording("array", "--scenario", scenario)
        self.assertEqual(frames.shape[1], 4)
        src = cellscan.synth_source(scenario, duration_s=-1)
        self.assertEqual(src.num_channels(), 4)
        sinks = self.run_source(src, n_outputs=4)
        for ch, sink in enumerate(sinks):
            self.assertTrue(np.array_equal(np.array(sink.data(), dtype=np.complex64),
                                           frames[:, ch]), "channel %d differs" % ch)
            self.assertEqual(pmt.to_double(tags_by_key(sink, "rx_freq")[0]),
                             meta["captures"][0]["core:frequency"])
        # Fewer outputs than channels: the connected ones are unchanged.
        self.tb = gr.top_block()
        sinks = self.run_source(cellscan.synth_source(scenario, duration_s=-1), n_outputs=2)
        for ch, sink in enumerate(sinks):
            self.assertTrue(np.array_equal(np.array(sink.data(), dtype=np.complex64),
                                           frames[:, ch]))

    def test_007_more_outputs_than_channels_is_refused(self):
        src = cellscan.synth_source(json.dumps(GSM_SCENARIO), duration_s=0.001)
        self.tb.connect((src, 0), blocks.null_sink(gr.sizeof_gr_complex))
        self.tb.connect((src, 1), blocks.null_sink(gr.sizeof_gr_complex))
        with self.assertRaises(RuntimeError):
            self.tb.run()

    def test_008_bad_scenarios_throw_the_cli_message(self):
        missing = self.path("missing.json")
        self.assert_cli_error(lambda: cellscan.synth_source(missing), "--scenario", missing)

        unknown_key = self.write_json("typo.json", {"gsm": [{"arfcnn": 30}]})
        self.assert_cli_error(lambda: cellscan.synth_source(unknown_key), "--scenario", unknown_key)

        infeasible = self.write_json("infeasible.json", {
            "umts": [{"psc": 1, "ecio_db": -3}, {"psc": 2, "ecio_db": -3}]})
        self.assert_cli_error(lambda: cellscan.synth_source(infeasible), "--scenario", infeasible)

        broken = self.path("broken.json")
        with open(broken, "w") as f:
            f.write('{"gsm": [')
        self.assert_cli_error(lambda: cellscan.synth_source(broken), "--scenario", broken)

        too_narrow = self.write_json("narrow.json", GSM_SCENARIO)
        self.assert_cli_error(lambda: cellscan.synth_source(too_narrow, 100e3),
                              "--scenario", too_narrow, "--rate", "100e3")

    def test_009_bad_text_and_overrides_throw_one_line(self):
        cases = [
            (lambda: cellscan.synth_source('{"gsm": [{"arfcn": 30, "snr": 4}]}'),
             "scenario text: gsm[0].snr"),
            (lambda: cellscan.synth_source('{"gsm": [{"arfcn": 9999}]}'), "arfcn"),
            (lambda: cellscan.synth_source(""), "no scenario"),
            (lambda: cellscan.synth_source(json.dumps(GSM_SCENARIO), -5.0), "sample_rate_hz"),
            (lambda: cellscan.synth_source(json.dumps(GSM_SCENARIO), 0, -1.0), "centre_freq_hz"),
            (lambda: cellscan.synth_source(json.dumps(GSM_SCENARIO), seed=-2), "seed"),
            (lambda: cellscan.synth_source(json.dumps(GSM_SCENARIO), duration_s=-3), "duration_s"),
        ]
        for make, expected in cases:
            with self.assertRaises(RuntimeError) as ctx:
                make()
            text = str(ctx.exception)
            self.assertTrue(text.startswith("synth_source: "), text)
            self.assertIn(expected, text)
            self.assertEqual(len(text.splitlines()), 1, text)

    def test_010_example_flowgraph_headless(self):
        if not shutil.which("grcc"):
            self.skipTest("grcc not found")
        env = dict(os.environ, GRC_BLOCKS_PATH=os.path.join(SOURCE_DIR, "grc"))
        proc = subprocess.run(["grcc", "-o", self.dir.name,
                               os.path.join(SOURCE_DIR, "examples", "synth_to_spectrum.grc")],
                              env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        script = self.path("synth_to_spectrum.py")
        self.assertTrue(proc.returncode == 0 and os.path.isfile(script),
                        proc.stdout + proc.stderr)

        # The example's default scenario: ARFCN 30 at 25 dB and ARFCN 33 at 12 dB.
        out = self.path("scan.jsonl")
        proc = subprocess.run([sys.executable, script, "--duration-s", "0.05", "--out", out],
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        with open(out) as f:
            rows = [json.loads(line) for line in f]
        # 54167 samples at 13e6/6 Hz, periods of 10834: 4 whole reports of ARFCN 28..35.
        self.assertEqual(sorted({r["arfcn"] for r in rows}), list(range(28, 36)))
        self.assertEqual(len(rows), 4 * 8)
        default = cellscan.synth_source(
            '{"gsm": [{"arfcn": 30, "ncc": 4, "bcc": 0, "snr_db": 25}, '
            '{"arfcn": 33, "ncc": 1, "bcc": 2, "snr_db": 12}]}')
        truth = {e["arfcn"]: e for e in json.loads(default.truth_json())["emitters"]}
        for r in rows:
            self.assertEqual(r["freq_hz"], 935e6 + 0.2e6 * r["arfcn"])
            if r["arfcn"] in truth:
                self.assertTrue(r["occupied"], r)
                self.assertAlmostEqual(r["power_dbfs"], truth[r["arfcn"]]["power_dbfs"], delta=1.0)
            elif r["arfcn"] in (28, 35):  # two channels or more from any carrier
                self.assertFalse(r["occupied"], r)

        # A bad scenario: the flowgraph does not start, says why, and writes nothing.
        never = self.path("never.jsonl")
        proc = subprocess.run([sys.executable, script, "--scenario", self.path("missing.yaml"),
                               "--out", never], capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_S)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("missing.yaml", proc.stdout + proc.stderr)
        self.assertFalse(os.path.exists(never) or os.path.exists(never + ".part"))


if __name__ == "__main__":
    gr_unittest.run(qa_synth_source)
