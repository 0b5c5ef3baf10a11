#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""umts_scanner: the UMTS cell search of `cellscan scan` as one block to put after a
source (a hierarchical block of umts_cell_searcher per carrier and, optionally, a
umts_jsonl_sink)."""

import math

from gnuradio import gr

from . import cellscan_python
from .umts_jsonl_sink import umts_jsonl_sink


class umts_scanner(gr.hier_block2):
    """Finds and measures every UMTS cell on the chosen carriers of the input stream.

    carrier: "auto" searches the carrier at the UARFCN raster point nearest the centre
    (the centre itself when it is unknown or in no UMTS band), as cellscan scan does for a
    recording below 9.6 MS/s; "uarfcn" searches every UARFCN of uarfcns (needs the centre);
    "offset" every offset of offsets_hz from the centre, in Hz. Each carrier gets its own
    umts_cell_searcher; their messages leave, through one umts_merge, on the ports "cells"
    (one dict per cell) and "carrier" (one per search). With a filename they are also
    written as JSON Lines, as cellscan scan --format jsonl writes them ("-" for standard
    output), with "file": file_label when that is given. The other parameters are
    umts_cell_searcher's.
    """

    def __init__(self, samp_rate=0.0, centre_freq=0.0, carrier="auto", uarfcns=(),
                 offsets_hz=(), band="", span_s=0.0, use_tags=True, freq_range_hz=25e3,
                 freq_step_hz=5e3, max_drift_ppm=0.0, max_cells=32, p_false=1e-6,
                 path_threshold_db=15.0, cancellation=True, filename="", file_label=""):
        gr.hier_block2.__init__(self, "umts_scanner",
                                gr.io_signature(1, 1, gr.sizeof_gr_complex),
                                gr.io_signature(0, 0, 0))
        if carrier == "auto":
            carriers = [(-1, 0.0, True)]
        elif carrier == "uarfcn":
            carriers = [(int(n), 0.0, False) for n in uarfcns]
        elif carrier == "offset":
            carriers = [(-1, float(f), False) for f in offsets_hz]
        else:
            raise ValueError("umts_scanner: carrier must be auto, uarfcn or offset (got %r)"
                             % (carrier,))
        if not carriers:
            raise ValueError("umts_scanner: no carrier to search (give %s)" %
                             ("uarfcns" if carrier == "uarfcn" else "offsets_hz"))
        if any(not math.isfinite(f) for _, f, _ in carriers):
            raise ValueError("umts_scanner: carrier offsets must be numbers of Hz")

        ports = ("cells", "carrier")
        for port in ports:
            self.message_port_register_hier_out(port)
        # One publisher for the outputs: a message sink fed by several searchers directly
        # would stop at the first one's end, before the others have published.
        self.merge = cellscan_python.umts_merge(len(ports) * len(carriers))
        self.sink = None
        if filename:
            self.sink = umts_jsonl_sink("" if filename == "-" else filename, file_label)
        for port in ports:
            self.msg_connect(self.merge, port, self, port)
            if self.sink is not None:
                self.msg_connect(self.merge, port, self.sink, port)
        self.searchers = []
        for uarfcn, offset_hz, snap in carriers:
            searcher = cellscan_python.umts_cell_searcher(
                samp_rate, centre_freq, uarfcn, offset_hz, snap, band, span_s, use_tags,
                freq_range_hz, freq_step_hz, max_drift_ppm, int(max_cells), p_false,
                path_threshold_db, bool(cancellation))
            self.connect(self, searcher)
            for port in ports:
                self.msg_connect(searcher, port, self.merge, port)
            self.searchers.append(searcher)

    def num_cells(self):
        """Cells published so far by all the carriers' searchers."""
        return sum(s.num_cells() for s in self.searchers)
