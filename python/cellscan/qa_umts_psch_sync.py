#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.umts_psch_sync: on a synthetic recording the strongest candidate sits
at the strongest cell's slot timing with its frequency offset, the samples pass through
unchanged, and from the second period on every slot boundary is tagged."""

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan
from umts_qa_recordings import CFO_HZ, Recording, run_messages

SLOT = 5120
PERIOD_SLOTS = 30


class qa_umts_psch_sync(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rec = Recording(duration_s=0.1)
        # the cells' frame timing, from the searcher
        out = run_messages(cellscan.sigmf_source(cls.rec.meta),
                           cellscan.umts_cell_searcher(0.0, 0.0), ("cells",))
        cls.slot_offset = {c["psc"]: (2 * c["frame_offset_chips"]) % SLOT for c in out["cells"]}

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()

    def test_001_docstrings(self):
        self.assertIn("umts_slot", cellscan.umts_psch_sync.__doc__)
        self.assertIn("integration_slots", cellscan.umts_psch_sync.__init__.__doc__)

    def test_002_candidates_tags_and_samples(self):
        x = self.rec.samples()
        block = cellscan.umts_psch_sync(PERIOD_SLOTS, max_candidates=3)
        sink = blocks.vector_sink_c()
        store = blocks.message_debug()
        tb = gr.top_block()
        tb.connect(blocks.vector_source_c(x.tolist()), block, sink)
        tb.msg_connect(block, "candidates", store, "store")
        tb.run()
        np.testing.assert_array_equal(np.array(sink.data(), dtype=np.complex64), x)

        periods = [pmt.to_python(store.get_message(i)) for i in range(store.num_messages())]
        self.assertEqual(len(periods), len(x) // (PERIOD_SLOTS * SLOT))
        self.assertEqual(block.num_periods(), len(periods))
        want = self.slot_offset[100]  # the strongest cell
        for k, period in enumerate(periods):
            self.assertAlmostEqual(period["t_start_s"], k * PERIOD_SLOTS * SLOT / 7.68e6)
            self.assertAlmostEqual(period["slots"], PERIOD_SLOTS, delta=0.2)  # edges
            best = period["candidates"][0]
            self.assertAlmostEqual(best["slot_offset_samples"], want, delta=1.0)
            self.assertAlmostEqual(best["freq_hz"], -CFO_HZ, delta=2500.0)
            self.assertGreater(best["z"], 6.0)

        tags = [t for t in sink.tags() if pmt.symbol_to_string(t.key) == "umts_slot"]
        strongest = [t.offset for t in tags if pmt.to_python(t.value)["rank"] == 0]
        period_items = PERIOD_SLOTS * SLOT
        # every slot of every period but the first, at the strongest cell's timing
        self.assertEqual(len(strongest), (len(periods) - 1) * PERIOD_SLOTS + PERIOD_SLOTS *
                         (len(x) - len(periods) * period_items) // period_items)
        self.assertGreaterEqual(min(strongest), period_items)
        self.assertTrue(all(b - a == SLOT for a, b in zip(strongest, strongest[1:])))
        self.assertLessEqual(abs(strongest[0] % SLOT - want), 1.0)
        value = pmt.to_python(tags[0].value)
        self.assertEqual(sorted(value), ["freq_hz", "rank", "snr_db", "timing_samples", "z"])
        self.assertLessEqual(abs(value["timing_samples"]), 0.5)

    def test_003_noise_has_no_candidates(self):
        rng = np.random.default_rng(1)
        n = 2 * 150 * SLOT  # two periods of the default 150 slots
        x = (rng.standard_normal(n) + 1j * rng.standard_normal(n))
        block = cellscan.umts_psch_sync()
        store = blocks.message_debug()
        tb = gr.top_block()
        tb.connect(blocks.vector_source_c((0.01 * x).astype(np.complex64).tolist()), block,
                   blocks.null_sink(gr.sizeof_gr_complex))
        tb.msg_connect(block, "candidates", store, "store")
        tb.run()
        counts = [len(pmt.to_python(store.get_message(i))["candidates"])
                  for i in range(store.num_messages())]
        self.assertEqual(counts, [0, 0])

    def test_004_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "slots"):
            cellscan.umts_psch_sync(1)
        with self.assertRaisesRegex(ValueError, "frequency step"):
            cellscan.umts_psch_sync(150, 25e3, 0.0)
        with self.assertRaisesRegex(ValueError, "max candidates"):
            cellscan.umts_psch_sync(150, 25e3, 5e3, 0)


if __name__ == "__main__":
    gr_unittest.run(qa_umts_psch_sync)
