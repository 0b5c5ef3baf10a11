#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.gsm_sch_decoder: on a generated C0 every SCH after an FCCH decodes to
the carrier's BSIC and the generator's frame number, at the burst's start, from the FCCH
detector's tags and from its own search alike; predicted SCHs follow a decoded one; the
output passes the samples through; nothing on noise; bad parameters."""

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan
from gsm_qa_recordings import SYMBOL_S, GsmRecording, run_chain

SCH_FRAMES = (1, 11, 21, 31, 41)  # FN mod 51


def decode(x, rate_hz, with_detector, **kwargs):
    """Messages of a decoder fed x (through an FCCH detector when with_detector)."""
    dec = cellscan.gsm_sch_decoder(rate_hz, use_fcch_tags=with_detector, **kwargs)
    chain = [cellscan.gsm_fcch_detector(rate_hz), dec] if with_detector else [dec]
    msgs, y, _ = run_chain(x, chain, dec, "sch")
    return msgs, y, dec


class qa_gsm_sch_decoder(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rec = GsmRecording("--gsm", "30:3:5:12", "--freq", "941e6", "--rate", "1e6",
                               "--cfo", "-800", "--duration", "0.3", "--seed", "5",
                               "--first-fn", "2715600")  # the frame number wraps inside

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()

    def check(self, msgs):
        # every SCH a frame after an FCCH (the first one has none before it)
        want = [(fn, t) for fn, t in self.rec.frames(SCH_FRAMES) if t > 0.005]
        self.assertEqual([m["fn"] for m in msgs], [fn % 2715648 for fn, _ in want])
        for m, (fn, t_s) in zip(msgs, want):
            self.assertEqual((m["type"], m["ncc"], m["bcc"]), ("gsm_sch", 3, 5))
            self.assertLess(abs(m["t_start_s"] - t_s), 1.0 * SYMBOL_S)
            self.assertEqual(m["offset"], round(m["t_start_s"] * self.rec.rate_hz))
            self.assertAlmostEqual(m["snr_db"], 12.0, delta=3.0)
            self.assertAlmostEqual(m["freq_error_hz"], 800.0, delta=40.0)
            self.assertGreater(m["quality"], 0.5)
            t1, t2, t3 = m["t1"], m["t2"], m["t3"]
            self.assertEqual(m["fn"], 51 * ((t3 - t2) % 26) + t3 + 51 * 26 * t1)
        fns = [m["fn"] for m in msgs]
        self.assertTrue(any(fn > 2715600 for fn in fns) and any(fn < 100 for fn in fns), fns)

    def test_001_from_fcch_tags(self):
        x = self.rec.samples()
        msgs, y, dec = decode(x, self.rec.rate_hz, True)
        self.check(msgs)
        np.testing.assert_array_equal(y, x)
        self.assertEqual(dec.num_decoded(), len(msgs))
        self.assertGreaterEqual(dec.num_attempts(), len(msgs))

    def test_002_own_fcch_search(self):
        msgs, _, _ = decode(self.rec.samples(), self.rec.rate_hz, False)
        self.check(msgs)

    def test_003_predicted_schs(self):
        # one FCCH tag, on the first FCCH: every later SCH comes from the frame numbers
        x = self.rec.samples()
        fn, t_s = self.rec.frames((0, 10, 20, 30, 40))[0]
        tag = gr.tag_utils.python_to_tag((round(t_s * self.rec.rate_hz), pmt.intern("gsm_fcch"),
                                          pmt.to_pmt({"offset_hz": 800.0,
                                                      "offset_sigma_hz": 5.0})))
        tb = gr.top_block()
        src = blocks.vector_source_c(x.tolist(), False, 1, [tag])
        dec = cellscan.gsm_sch_decoder(self.rec.rate_hz)
        store = blocks.message_debug()
        tb.connect(src, dec)
        tb.msg_connect(dec, "sch", store, "store")
        tb.run()
        msgs = [pmt.to_python(store.get_message(i)) for i in range(store.num_messages())]
        self.check(msgs)
        self.assertEqual([m["predicted"] for m in msgs], [False] + [True] * (len(msgs) - 1))

    def test_004_noise(self):
        rng = np.random.default_rng(3)
        x = ((rng.standard_normal(200000) + 1j * rng.standard_normal(200000)) *
             0.01).astype(np.complex64)
        msgs, _, dec = decode(x, 1e6, False)
        self.assertEqual(msgs, [])
        self.assertEqual(dec.num_attempts(), 0)

    def test_005_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "gsm_sch_decoder"):
            cellscan.gsm_sch_decoder(100e3)
        with self.assertRaisesRegex(ValueError, "gsm_sch_decoder"):
            cellscan.gsm_sch_decoder(1e6, use_fcch_tags=False, max_offset_hz=-1)


if __name__ == "__main__":
    gr_unittest.run(qa_gsm_sch_decoder)
