#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.channel_power: a tone at a known channel is reported occupied with its
power, one report per period, retuning on rx_rate / rx_freq tags, and parameter errors."""

import math

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan

FS_HZ = 1e6
CENTRE_HZ = 941.0e6  # GSM900 ARFCN 30
TONE_OFFSET_HZ = 200e3  # ARFCN 31
TONE_DBFS = -20.0
NOISE_DBFS = -60.0  # total over the sample rate


def tone_in_noise(n, offset_hz=TONE_OFFSET_HZ, seed=7):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / FS_HZ
    tone = 10 ** (TONE_DBFS / 20) * np.exp(2j * np.pi * offset_hz * t)
    sigma = math.sqrt(10 ** (NOISE_DBFS / 10) / 2)
    noise = sigma * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    return (tone + noise).astype(np.complex64)


def make_tag(offset, key, value):
    tag = gr.tag_t()
    tag.offset = offset
    tag.key = pmt.intern(key)
    tag.value = pmt.from_double(value)
    return tag


class qa_channel_power(gr_unittest.TestCase):

    def setUp(self):
        self.tb = gr.top_block()

    def tearDown(self):
        self.tb = None

    def run_block(self, block, x, tags=()):
        src = blocks.vector_source_c(x.tolist(), False, 1, list(tags))
        store = blocks.message_debug()
        self.tb.connect(src, block)
        self.tb.msg_connect(block, "power", store, "store")
        self.tb.run()
        return [store.get_message(i) for i in range(store.num_messages())]

    def test_001_docstrings(self):
        self.assertIn("power_dbfs", cellscan.channel_power.__doc__)
        self.assertIn("integration_s", cellscan.channel_power.__init__.__doc__)

    def test_002_tone_channel_occupied_with_its_power(self):
        block = cellscan.channel_power("gsm", "", FS_HZ, CENTRE_HZ, 0.02, False)
        reports = self.run_block(block, tone_in_noise(100000))
        self.assertEqual(len(reports), 5)  # 100000 samples, 20000 per period
        self.assertEqual(block.num_reports(), 5)
        for k, msg in enumerate(reports):
            report = pmt.to_python(msg)
            self.assertAlmostEqual(report["t_start_s"], 0.02 * k)
            self.assertAlmostEqual(report["t_end_s"], 0.02 * (k + 1))
            self.assertEqual(report["centre_hz"], CENTRE_HZ)
            rows = {r["arfcn"]: r for r in cellscan.report_rows(msg)}
            self.assertIn(31, rows)
            tone = rows[31]
            self.assertEqual(tone["freq_hz"], 941.2e6)
            self.assertEqual(tone["offset_hz"], TONE_OFFSET_HZ)
            self.assertTrue(tone["occupied"])
            self.assertAlmostEqual(tone["power_dbfs"], TONE_DBFS, delta=0.5)
            self.assertGreater(tone["snr_db"], 30)
            empty_dbfs = NOISE_DBFS + 10 * math.log10(200e3 / FS_HZ)
            for arfcn, row in rows.items():
                if arfcn != 31:
                    self.assertFalse(row["occupied"], arfcn)
                    self.assertAlmostEqual(row["power_dbfs"], empty_dbfs, delta=2.0)

    def test_003_unknown_centre_gives_offsets_only(self):
        block = cellscan.channel_power("gsm", "", FS_HZ, 0.0, 0.05, False)
        (msg,) = self.run_block(block, tone_in_noise(50000))
        report = pmt.to_python(msg)
        self.assertTrue(math.isnan(report["centre_hz"]))
        self.assertTrue(all(n == -1 for n in report["number"]))
        self.assertTrue(all(math.isnan(f) for f in report["freq_hz"]))
        occupied = [r for r in cellscan.report_rows(msg) if r["occupied"]]
        self.assertEqual([r["offset_hz"] for r in occupied], [TONE_OFFSET_HZ])
        self.assertIsNone(occupied[0]["arfcn"])

    def test_004_bins_raster(self):
        block = cellscan.channel_power("bins", "", FS_HZ, CENTRE_HZ, 0.05, False, 100e3)
        (msg,) = self.run_block(block, tone_in_noise(50000))
        occupied = [r for r in cellscan.report_rows(msg) if r["occupied"]]
        self.assertEqual([r["offset_hz"] for r in occupied], [TONE_OFFSET_HZ])
        self.assertEqual(occupied[0]["bandwidth_hz"], 100e3)
        self.assertAlmostEqual(occupied[0]["power_dbfs"], TONE_DBFS, delta=0.5)

    def test_005_follows_rate_and_centre_tags(self):
        tags = [make_tag(0, "rx_rate", FS_HZ), make_tag(0, "rx_freq", CENTRE_HZ),
                make_tag(50000, "rx_freq", 947.0e6)]  # ARFCN 60 at the centre
        block = cellscan.channel_power("gsm", "", 0.0, 0.0, 0.02, True)
        reports = self.run_block(block, tone_in_noise(100000), tags)
        # 2 full periods, the 10000 samples before the retune, 2 full periods; the last
        # 10000 samples are a period cut short by the end of the stream.
        spans = [(round(pmt.to_python(m)["t_start_s"], 6), round(pmt.to_python(m)["t_end_s"], 6))
                 for m in reports]
        self.assertEqual(spans, [(0.0, 0.02), (0.02, 0.04), (0.04, 0.05), (0.05, 0.07),
                                 (0.07, 0.09)])
        for msg, arfcn in zip(reports, [31, 31, 31, 61, 61]):
            occupied = [r["arfcn"] for r in cellscan.report_rows(msg) if r["occupied"]]
            self.assertEqual(occupied, [arfcn])
        self.assertEqual(block.centre_freq(), 947.0e6)
        self.assertEqual(block.samp_rate(), FS_HZ)

    def test_006_tags_ignored_without_use_tags(self):
        tags = [make_tag(0, "rx_freq", 947.0e6)]
        block = cellscan.channel_power("gsm", "", FS_HZ, CENTRE_HZ, 0.05, False)
        (msg,) = self.run_block(block, tone_in_noise(50000), tags)
        occupied = [r["arfcn"] for r in cellscan.report_rows(msg) if r["occupied"]]
        self.assertEqual(occupied, [31])

    def test_007_bad_parameters(self):
        cases = [
            (("lte", "", FS_HZ, CENTRE_HZ, 0.1), "raster"),
            (("gsm", "", FS_HZ, CENTRE_HZ, 0.0), "integration"),
            (("gsm", "", 0.0, CENTRE_HZ, 0.1, False), "use_tags"),
            (("gsm", "", -1.0, CENTRE_HZ, 0.1), "sample rate"),
            (("gsm", "", FS_HZ, CENTRE_HZ, 1e-5), "FFT"),
            (("gsm", "NO-SUCH-BAND", FS_HZ, CENTRE_HZ, 0.1), "NO-SUCH-BAND"),
        ]
        for args, needle in cases:
            with self.assertRaises(ValueError, msg=str(args)) as ctx:
                cellscan.channel_power(*args)
            self.assertIn(needle, str(ctx.exception))


if __name__ == "__main__":
    gr_unittest.run(qa_channel_power)
