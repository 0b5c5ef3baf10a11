#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""gsm_scanner: the GSM scan of `cellscan scan` as one block to put after a wideband
source (a hierarchical block of gsm_carrier_searcher and, optionally, a gsm_jsonl_sink)."""

from gnuradio import gr

from . import cellscan_python
from .gsm_jsonl_sink import GSM_PORTS, gsm_jsonl_sink


class gsm_scanner(gr.hier_block2):
    """Finds every GSM carrier and burst in the input stream: every ARFCN of the stream's
    usable band is channelized; downlink channels get FCCH detection, SCH decoding to
    BSIC and frame number, and burst activity; uplink channels burst activity (unless
    downlink_only). One gsm_carrier_searcher (the object cellscan scan uses, fed the
    same way, so a recording gives the CLI's records) publishes on the ports "channels",
    "carriers", "activities" and "scan". With a filename they are also written as JSON
    Lines, as cellscan scan --format jsonl writes them ("-" for standard output), with
    "file": file_label when that is given. span_s = 0 scans the whole stream and reports
    at its end; a live source needs a span (results after every span). The other
    parameters are gsm_carrier_searcher's.
    """

    def __init__(self, samp_rate=0.0, centre_freq=0.0, band="", span_s=0.0, use_tags=True,
                 max_offset_hz=0.0, fcch_false_alarms_per_hour=0.0, min_snr_db=6.0,
                 downlink_only=False, filename="", file_label=""):
        gr.hier_block2.__init__(self, "gsm_scanner",
                                gr.io_signature(1, 1, gr.sizeof_gr_complex),
                                gr.io_signature(0, 0, 0))
        self.searcher = cellscan_python.gsm_carrier_searcher(
            float(samp_rate), float(centre_freq), band, float(span_s), bool(use_tags),
            float(max_offset_hz), float(fcch_false_alarms_per_hour), float(min_snr_db),
            bool(downlink_only))
        self.sink = None
        if filename:
            self.sink = gsm_jsonl_sink("" if filename == "-" else filename, file_label)
        self.connect(self, self.searcher)
        for port in GSM_PORTS:
            self.message_port_register_hier_out(port)
            self.msg_connect(self.searcher, port, self, port)
            if self.sink is not None:
                self.msg_connect(self.searcher, port, self.sink, port)

    def num_carriers(self):
        """Carriers published so far."""
        return self.searcher.num_carriers()
