#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.umts_cell_searcher: the cells of a synthetic recording with their
PSC, Ec/Io, frequency error and UARFCN; results at the end of the stream every time;
spans; retuning on rx_freq; the same cells from tags or parameters; parameter errors."""

import math

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan
from umts_qa_recordings import CELLS, CENTRE_HZ, CFO_HZ, RATE_HZ, UARFCN, Recording, run_messages

PORTS = ("cells", "carrier")


def make_tag(offset, key, value):
    tag = gr.tag_t()
    tag.offset = offset
    tag.key = pmt.intern(key)
    tag.value = pmt.from_double(value)
    return tag


class qa_umts_cell_searcher(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rec = Recording(duration_s=0.2)

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()

    def search(self, block, source=None):
        source = source or cellscan.sigmf_source(self.rec.meta)
        return run_messages(source, block, PORTS)

    def test_001_docstrings(self):
        self.assertIn("umts_cell", cellscan.umts_cell_searcher.__doc__)
        self.assertIn("span_s", cellscan.umts_cell_searcher.__init__.__doc__)

    def test_002_cells_of_a_recording(self):
        block = cellscan.umts_cell_searcher(0.0, 0.0)
        out = self.search(block)
        cells = {c["psc"]: c for c in out["cells"]}
        self.assertEqual(sorted(cells), sorted(CELLS))
        self.assertEqual(block.num_cells(), 3)
        self.assertEqual(block.num_searches(), 1)
        self.assertEqual(block.samp_rate(), RATE_HZ)
        self.assertEqual(block.centre_freq(), CENTRE_HZ)
        for psc, ecio_db in CELLS.items():
            c = cells[psc]
            self.assertEqual(c["type"], "umts_cell")
            self.assertEqual(c["group"], psc // 8)
            self.assertEqual(c["uarfcn"], UARFCN)
            self.assertEqual(c["band"], "UMTS-I")
            self.assertEqual(c["freq_hz"], CENTRE_HZ)
            self.assertAlmostEqual(c["ecio_db"], ecio_db, delta=0.5)
            self.assertAlmostEqual(c["ecio_db"], c["rscp_dbfs"] - c["rssi_dbfs"], places=9)
            self.assertAlmostEqual(c["freq_error_hz"], -CFO_HZ, delta=5.0)
            self.assertTrue(0.0 <= c["frame_offset_chips"] < 38400.0)
            self.assertLess(c["t_first_s"], 0.001)
            self.assertGreater(c["t_last_s"], 0.199)
            self.assertEqual(len(c["paths"]), c["n_paths"])
            self.assertEqual(c["paths"][0]["delay_chips"], 0.0)
        # strongest first
        self.assertEqual([c["psc"] for c in out["cells"]], [100, 205, 333])
        (carrier,) = out["carrier"]
        self.assertEqual(carrier["cells"], 3)
        self.assertEqual((carrier["t_start_s"], carrier["t_end_s"]), (0.0, 0.2))
        self.assertAlmostEqual(carrier["freq_error_hz"], -CFO_HZ, delta=5.0)

    def test_003_end_of_stream_results_every_run(self):
        # The last span is searched before the block is done: no run may lose it.
        for _ in range(5):
            out = self.search(cellscan.umts_cell_searcher(0.0, 0.0, cancellation=False))
            self.assertEqual(sorted(c["psc"] for c in out["cells"]), sorted(CELLS))

    def test_004_spans(self):
        block = cellscan.umts_cell_searcher(0.0, 0.0, span_s=0.05)
        out = self.search(block)
        spans = [(round(c["t_start_s"], 9), round(c["t_end_s"], 9)) for c in out["carrier"]]
        self.assertEqual(spans, [(0.0, 0.05), (0.05, 0.1), (0.1, 0.15), (0.15, 0.2)])
        for k, carrier in enumerate(out["carrier"]):
            in_span = [c for c in out["cells"] if spans[k][0] <= c["t_first_s"] < spans[k][1]]
            self.assertEqual(carrier["cells"], len(in_span))
            self.assertIn(100, [c["psc"] for c in in_span])
        # The frame timing refers to the stream's start in every span (a span is 5 frames).
        timing = {round(c["frame_offset_chips"]) for c in out["cells"] if c["psc"] == 100}
        self.assertEqual(len(timing), 1, timing)

    def test_005_parameters_instead_of_tags(self):
        x = self.rec.samples()
        tagged = self.search(cellscan.umts_cell_searcher(0.0, 0.0))
        plain = self.search(
            cellscan.umts_cell_searcher(RATE_HZ, CENTRE_HZ, use_tags=False),
            blocks.vector_source_c(x.tolist()))
        self.assertEqual([cellscan.umts_jsonl_line(c) for c in tagged["cells"]],
                         [cellscan.umts_jsonl_line(c) for c in plain["cells"]])

    def test_006_unknown_centre(self):
        x = self.rec.samples()
        out = self.search(cellscan.umts_cell_searcher(RATE_HZ, 0.0, use_tags=False),
                          blocks.vector_source_c(x.tolist()))
        self.assertEqual(sorted(c["psc"] for c in out["cells"]), sorted(CELLS))
        for c in out["cells"]:
            self.assertIsNone(c["uarfcn"])
            self.assertIsNone(c["band"])
            self.assertTrue(math.isnan(c["freq_hz"]))
            self.assertEqual(c["offset_hz"], 0.0)

    def test_007_retune_ends_the_span(self):
        # the receiver tunes 60 kHz up half way: from then on the cells sit 60 kHz lower
        x = self.rec.samples()[: int(0.1 * RATE_HZ)].astype(np.complex128)
        half = len(x) // 2
        n = np.arange(len(x) - half)
        x[half:] *= np.exp(-2j * np.pi * 60e3 * n / RATE_HZ)
        x = x.astype(np.complex64)
        tags = [make_tag(0, "rx_rate", RATE_HZ), make_tag(0, "rx_freq", CENTRE_HZ),
                make_tag(half, "rx_freq", CENTRE_HZ + 60e3)]
        block = cellscan.umts_cell_searcher(0.0, 0.0)
        out = self.search(block, blocks.vector_source_c(x.tolist(), False, 1, tags))
        spans = [(round(c["t_start_s"], 9), round(c["t_end_s"], 9)) for c in out["carrier"]]
        self.assertEqual(spans, [(0.0, 0.05), (0.05, 0.1)])
        self.assertEqual(block.centre_freq(), CENTRE_HZ + 60e3)
        # after the retune the carrier snaps to the raster point 60 kHz below the centre
        self.assertAlmostEqual(block.carrier_offset_hz(), -60e3, delta=1e-3)
        self.assertEqual([c["uarfcn"] for c in out["carrier"]], [UARFCN, UARFCN])
        self.assertEqual([c["cells"] for c in out["carrier"]], [3, 3])

    def test_008_no_rate_no_search(self):
        x = self.rec.samples()[:100000]
        out = self.search(cellscan.umts_cell_searcher(0.0, 0.0),
                          blocks.vector_source_c(x.tolist()))
        self.assertEqual(out, {"cells": [], "carrier": []})

    def test_009_short_stream_no_cells(self):
        x = np.zeros(3000, dtype=np.complex64)  # less than one slot
        out = self.search(cellscan.umts_cell_searcher(RATE_HZ, 0.0, use_tags=False),
                          blocks.vector_source_c(x.tolist()))
        self.assertEqual(out, {"cells": [], "carrier": []})

    def test_010_long_stream_in_whole_frames(self):
        # Beyond 1.09 s the whole-stream search goes on in spans of 109 frames.
        rec = Recording(duration_s=1.2, cells={100: -12.0}, extra=("--datatype", "ci8"))
        try:
            out = self.search(cellscan.umts_cell_searcher(0.0, 0.0, cancellation=False),
                              cellscan.sigmf_source(rec.meta))
        finally:
            rec.close()
        spans = [(round(c["t_start_s"], 9), round(c["t_end_s"], 9)) for c in out["carrier"]]
        self.assertEqual(spans, [(0.0, 1.09), (1.09, 1.2)])
        self.assertEqual([c["psc"] for c in out["cells"]], [100, 100])
        self.assertAlmostEqual(out["cells"][0]["frame_offset_chips"],
                               out["cells"][1]["frame_offset_chips"], delta=0.1)

    def test_011_bad_parameters(self):
        cases = [
            ((RATE_HZ, 0.0), dict(span_s=0.001), "span"),
            ((0.0, 0.0), dict(use_tags=False), "use_tags"),
            ((-1.0, 0.0), {}, "sample rate"),
            ((2e6, 0.0), {}, "at least 3.84 MS/s"),
            ((5e6, 0.0), dict(offset_hz=1e6, snap=False), "does not fit"),
            ((RATE_HZ, CENTRE_HZ), dict(uarfcn=99999), "99999"),
            ((RATE_HZ, 0.0), dict(uarfcn=UARFCN, use_tags=False), "centre"),
            ((RATE_HZ, 0.0), dict(max_cells=0), "max cells"),
            ((RATE_HZ, 0.0), dict(freq_range_hz=1e6), "frequency range"),
        ]
        for args, kwargs, needle in cases:
            with self.assertRaises(ValueError, msg=str((args, kwargs))) as ctx:
                cellscan.umts_cell_searcher(*args, **kwargs)
            self.assertIn(needle, str(ctx.exception))


if __name__ == "__main__":
    gr_unittest.run(qa_umts_cell_searcher)
