#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.umts_merge: the messages of two searchers that finish at different
times all reach one sink, unchanged."""

import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan
from umts_qa_recordings import RATE_HZ, Recording


class qa_umts_merge(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rec = Recording(duration_s=0.2)

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()

    def run_two(self):
        """A searcher on 0.05 s and one on 0.2 s (which ends later), through one merge."""
        x = self.rec.samples()
        tb = gr.top_block()
        merge = cellscan.umts_merge(4)
        stores = {port: blocks.message_debug() for port in ("cells", "carrier")}
        for n in (int(0.05 * RATE_HZ), len(x)):
            searcher = cellscan.umts_cell_searcher(RATE_HZ, 0.0, use_tags=False)
            tb.connect(blocks.vector_source_c(x[:n].tolist()), searcher)
            for port in stores:
                tb.msg_connect(searcher, port, merge, port)
        for port, store in stores.items():
            tb.msg_connect(merge, port, store, "store")
        tb.run()
        out = {port: [pmt.to_python(s.get_message(i)) for i in range(s.num_messages())]
               for port, s in stores.items()}
        return out, merge

    def test_001_every_message_arrives(self):
        for _ in range(3):
            out, merge = self.run_two()
            spans = sorted(round(c["t_end_s"], 6) for c in out["carrier"])
            self.assertEqual(spans, [0.05, 0.2])
            self.assertEqual(sorted(c["psc"] for c in out["cells"]),
                             [100, 100, 205, 205, 333, 333])
            self.assertEqual(merge.num_messages(), 8)

    def test_002_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "at least one"):
            cellscan.umts_merge(0)


if __name__ == "__main__":
    gr_unittest.run(qa_umts_merge)
