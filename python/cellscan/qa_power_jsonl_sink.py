#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.power_jsonl_sink and report_rows: channel_power reports become valid
JSON Lines (null for unknown values), written atomically to a file."""

import json
import math
import os
import tempfile

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan


def noise_with_tone(n, fs_hz, offset_hz):
    rng = np.random.default_rng(3)
    t = np.arange(n) / fs_hz
    x = 0.1 * np.exp(2j * np.pi * offset_hz * t) + 1e-3 * (
        rng.standard_normal(n) + 1j * rng.standard_normal(n))
    return x.astype(np.complex64)


class qa_power_jsonl_sink(gr_unittest.TestCase):

    def setUp(self):
        self.tb = gr.top_block()
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tb = None
        self.dir.cleanup()

    def run_chain(self, filename, only_occupied, centre_hz=941e6):
        x = noise_with_tone(40000, 1e6, -200e3)  # ARFCN 29 when centred on ARFCN 30
        src = blocks.vector_source_c(x.tolist())
        power = cellscan.channel_power("gsm", "", 1e6, centre_hz, 0.02, False)
        sink = cellscan.power_jsonl_sink(filename, only_occupied)
        self.tb.connect(src, power)
        self.tb.msg_connect(power, "power", sink, "power")
        self.tb.run()
        return sink

    def read_lines(self, path):
        with open(path) as f:
            return [json.loads(line) for line in f]

    def test_001_all_channels_to_file(self):
        path = os.path.join(self.dir.name, "scan.jsonl")
        sink = self.run_chain(path, False)
        self.assertFalse(os.path.exists(path + ".part"))
        rows = self.read_lines(path)
        self.assertEqual(len(rows), sink.rows_written)
        self.assertEqual(len(rows), 2 * 3)  # 2 periods x ARFCN 29, 30, 31
        self.assertEqual([r["arfcn"] for r in rows[:3]], [29, 30, 31])
        for r in rows:
            self.assertEqual(r["type"], "channel_power")
            self.assertEqual(r["link"], "downlink")
            self.assertEqual(r["occupied"], r["arfcn"] == 29)
        self.assertEqual((rows[3]["t_start_s"], rows[3]["t_end_s"]), (0.02, 0.04))

    def test_002_only_occupied(self):
        path = os.path.join(self.dir.name, "occupied.jsonl")
        self.run_chain(path, True)
        rows = self.read_lines(path)
        self.assertEqual([(r["arfcn"], r["freq_hz"]) for r in rows], [(29, 940.8e6)] * 2)

    def test_003_unknown_values_are_null(self):
        path = os.path.join(self.dir.name, "nocentre.jsonl")
        self.run_chain(path, False, centre_hz=0.0)
        with open(path) as f:
            text = f.read()
        self.assertNotIn("NaN", text)
        self.assertNotIn("Infinity", text)
        rows = [json.loads(line) for line in text.splitlines()]
        self.assertTrue(all(r["arfcn"] is None and r["freq_hz"] is None for r in rows))
        self.assertTrue(all(r["offset_hz"] is not None for r in rows))

    def test_004_unwritable_file_fails_at_construction(self):
        path = os.path.join(self.dir.name, "no-such-dir", "scan.jsonl")
        with self.assertRaises(OSError) as ctx:
            cellscan.power_jsonl_sink(path)
        self.assertIn("scan.jsonl", str(ctx.exception))

    def test_005_report_rows_rejects_other_messages(self):
        with self.assertRaises(ValueError):
            cellscan.report_rows(pmt.from_long(3))

    def test_006_report_rows_maps_non_finite_to_none(self):
        d = pmt.make_dict()
        for key, value in [("raster", pmt.intern("umts")), ("t_start_s", pmt.from_double(0)),
                           ("t_end_s", pmt.from_double(0.1)),
                           ("number", pmt.init_s32vector(1, [10563])),
                           ("band", pmt.make_vector(1, pmt.intern("UMTS-I"))),
                           ("uplink", pmt.init_u8vector(1, [0])),
                           ("freq_hz", pmt.init_f64vector(1, [2112.6e6])),
                           ("offset_hz", pmt.init_f64vector(1, [0.0])),
                           ("bandwidth_hz", pmt.init_f64vector(1, [3.84e6])),
                           ("power_dbfs", pmt.init_f64vector(1, [-30.0])),
                           ("noise_dbfs", pmt.init_f64vector(1, [-29.0])),
                           ("snr_db", pmt.init_f64vector(1, [-math.inf])),
                           ("occupied", pmt.init_u8vector(1, [0]))]:
            d = pmt.dict_add(d, pmt.intern(key), value)
        (row,) = cellscan.report_rows(d)
        self.assertEqual((row["uarfcn"], row["band"], row["snr_db"]), (10563, "UMTS-I", None))
        self.assertNotIn("arfcn", row)


if __name__ == "__main__":
    gr_unittest.run(qa_power_jsonl_sink)
