#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.gsm_fcch_detector: one "gsm_fcch" tag per FCCH burst of a generated C0,
on the burst's first sample, with the receiver's frequency error, SNR and power; samples
pass through unchanged (also with an off-centre channel); no tags on noise; bad
parameters."""

import numpy as np
import pmt
from gnuradio import gr_unittest

from gnuradio import cellscan
from gsm_qa_recordings import SYMBOL_S, GsmRecording, run_chain

FCCH_FRAMES = (0, 10, 20, 30, 40)  # FN mod 51


def run(x, rate_hz, **kwargs):
    """Samples through the detector: (output, [(offset, tag dict)], [message dicts])."""
    det = cellscan.gsm_fcch_detector(rate_hz, **kwargs)
    msgs, y, snk = run_chain(x, [det], det, "fcch")
    tags = sorted((t.offset, pmt.to_python(t.value)) for t in snk.tags()
                  if pmt.symbol_to_string(t.key) == "gsm_fcch")
    return y, tags, msgs, det


class qa_gsm_fcch_detector(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # ARFCN 30 at 15 dB SNR, 1 MS/s centred on it, receiver 500 Hz high (carrier
        # appears 500 Hz low)
        cls.rec = GsmRecording("--gsm", "30:3:5:15", "--freq", "941e6", "--rate", "1e6",
                               "--cfo", "500", "--duration", "0.3", "--seed", "2",
                               "--first-fn", "1000")

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()

    def check_tags(self, tags, rate_hz):
        want = self.rec.frames(FCCH_FRAMES)
        self.assertEqual(len(tags), len(want), "FCCHs %s, tags at %s" % (want, tags))
        for (offset, v), (fn, t_s) in zip(tags, want):
            # on the burst's first sample, +-1.5 symbols
            self.assertLess(abs(offset - t_s * rate_hz), 1.5 * SYMBOL_S * rate_hz, fn)
            self.assertAlmostEqual(v["offset_hz"], -500.0, delta=4 * v["offset_sigma_hz"] + 5)
            self.assertAlmostEqual(v["snr_db"], 15.0, delta=2.0)
            self.assertAlmostEqual(v["power_dbfs"], 10 * np.log10(v["power"]), places=9)
            self.assertGreater(v["statistic"], v["threshold"])
            self.assertAlmostEqual(v["t_start_s"] * rate_hz, offset, delta=0.51)

    def test_001_tags_at_each_fcch(self):
        x = self.rec.samples()
        y, tags, msgs, det = run(x, self.rec.rate_hz)
        np.testing.assert_array_equal(y, x)
        self.check_tags(tags, self.rec.rate_hz)
        self.assertEqual(det.num_detections(), len(tags))
        self.assertEqual([m["offset"] for m in msgs], [offset for offset, _ in tags])
        self.assertAlmostEqual(det.holdback_s(), 0.01, places=5)

    def test_002_off_centre_channel(self):
        # the same channel 200 kHz above the stream centre (2 MS/s)
        x = self.rec.samples()
        up = np.repeat(x, 2)  # crude x2 upsampling with images, then a shift
        n = np.arange(len(up))
        shifted = (up * np.exp(2j * np.pi * 200e3 / 2e6 * n)).astype(np.complex64)
        y, tags, _, _ = run(shifted, 2e6, channel_offset_hz=200e3)
        np.testing.assert_array_equal(y, shifted)
        self.assertEqual(len(tags), len(self.rec.frames(FCCH_FRAMES)))
        for offset, v in tags:
            self.assertAlmostEqual(v["offset_hz"], -500.0, delta=40)

    def test_003_no_tags_on_noise(self):
        rng = np.random.default_rng(1)
        x = ((rng.standard_normal(300000) + 1j * rng.standard_normal(300000)) *
             0.01).astype(np.complex64)
        y, tags, msgs, _ = run(x, 1e6)
        self.assertEqual(len(y), len(x))
        self.assertEqual(tags, [])
        self.assertEqual(msgs, [])

    def test_004_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "sample rate"):
            cellscan.gsm_fcch_detector(0)
        with self.assertRaisesRegex(ValueError, "max_offset_hz"):
            cellscan.gsm_fcch_detector(1e6, max_offset_hz=200e3)


if __name__ == "__main__":
    gr_unittest.run(qa_gsm_fcch_detector)
