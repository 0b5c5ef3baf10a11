#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.umts_cpich_meas: a known cell's Ec/Io, frequency error and frame timing
every period, given as parameters or by the searcher's messages in the same flowgraph;
nothing without a cell; parameter errors."""

import math

import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan
from umts_qa_recordings import CELLS, CFO_HZ, Recording, run_messages


class qa_umts_cpich_meas(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rec = Recording(duration_s=0.2)
        out = run_messages(cellscan.sigmf_source(cls.rec.meta),
                           cellscan.umts_cell_searcher(0.0, 0.0), ("cells",))
        cls.cells = {c["psc"]: c for c in out["cells"]}

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()

    def measure(self, block, extra=None):
        """sigmf_source -> umts_frontend -> block; extra(tb, source) may add blocks."""
        tb = gr.top_block()
        source = cellscan.sigmf_source(self.rec.meta)
        tb.connect(source, cellscan.umts_frontend(0.0), block)
        store = blocks.message_debug()
        tb.msg_connect(block, "meas", store, "store")
        if extra:
            extra(tb, source)
        tb.run()
        return [pmt.to_python(store.get_message(i)) for i in range(store.num_messages())]

    def test_001_docstrings(self):
        self.assertIn("umts_cpich", cellscan.umts_cpich_meas.__doc__)
        self.assertIn("frame_offset_chips", cellscan.umts_cpich_meas.__init__.__doc__)

    def test_002_known_cell(self):
        cell = self.cells[205]
        block = cellscan.umts_cpich_meas(205, cell["frame_offset_chips"], 0.05)
        meas = self.measure(block)
        # 0.2 s: three whole 50 ms periods (the front end holds back its filter's tail)
        self.assertEqual([(round(m["t_start_s"], 6), round(m["t_end_s"], 6)) for m in meas],
                         [(0.0, 0.05), (0.05, 0.1), (0.1, 0.15)])
        self.assertEqual(block.num_measurements(), 3)
        for m in meas:
            self.assertEqual((m["type"], m["psc"]), ("umts_cpich", 205))
            self.assertAlmostEqual(m["ecio_db"], CELLS[205], delta=1.0)
            self.assertAlmostEqual(m["ecio_db"], m["rscp_dbfs"] - m["rssi_dbfs"], places=9)
            self.assertAlmostEqual(m["freq_error_hz"], -CFO_HZ, delta=15.0)
            self.assertAlmostEqual(m["frame_offset_chips"], cell["frame_offset_chips"],
                                   delta=0.25)
            self.assertEqual(m["symbols"], 750)  # 5 frames of 150 symbols
            self.assertEqual(len(m["paths"]), m["n_paths"])

    def test_003_cell_from_the_searcher(self):
        # The searcher reports after its first 50 ms span; measurement starts after that.
        block = cellscan.umts_cpich_meas(333, -1, 0.02)

        def searcher(tb, source):
            s = cellscan.umts_cell_searcher(0.0, 0.0, span_s=0.05)
            tb.connect(source, s)
            tb.msg_connect(s, "cells", block, "cell")

        meas = self.measure(block, searcher)
        self.assertEqual(block.psc(), 333)
        self.assertGreaterEqual(len(meas), 2)
        self.assertGreaterEqual(meas[0]["t_start_s"], 0.02 - 1e-9)
        for m in meas:
            self.assertEqual(m["psc"], 333)
            self.assertAlmostEqual(m["ecio_db"], CELLS[333], delta=1.5)
            self.assertAlmostEqual(m["frame_offset_chips"],
                                   self.cells[333]["frame_offset_chips"], delta=0.25)

    def test_004_no_cell_no_measurement(self):
        block = cellscan.umts_cpich_meas()
        self.assertEqual(self.measure(block), [])
        self.assertEqual(block.psc(), -1)

    def test_005_bad_parameters(self):
        for args, needle in [((512,), "PSC"), ((-1, 100.0), "needs the PSC"),
                             ((5, 40000.0), "frame offset"), ((5, 10.0, 0.0), "period"),
                             ((5, 10.0, math.nan), "period")]:
            with self.assertRaisesRegex(ValueError, needle):
                cellscan.umts_cpich_meas(*args)


if __name__ == "__main__":
    gr_unittest.run(qa_umts_cpich_meas)
