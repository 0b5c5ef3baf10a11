#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""gsm_jsonl_sink: the GSM carrier searcher's messages as JSON Lines, as cellscan scan
writes them."""

import pmt
from gnuradio import gr

from .gsm_report import gsm_jsonl_line, gsm_record
from .jsonl_output import jsonl_output

GSM_PORTS = ("channels", "carriers", "activities", "scan")


class gsm_jsonl_sink(gr.basic_block):
    """Writes every message it receives on "channels" (gsm_channel records), "carriers"
    (gsm_carrier), "activities" (gsm_activity) and "scan" (gsm_scan) as one JSON line, with
    the keys, order and decimals of `cellscan scan --format jsonl`, and "file": file_label
    after "type" when file_label is not empty. Output goes to filename, or to standard
    output when filename is empty. A file is written as FILENAME.part from the start of
    the flowgraph and renamed into place when it stops; after a write error it is removed
    instead, so a failed run leaves no output, and neither does a flowgraph that never
    starts. An unwritable file raises OSError here, in the constructor."""

    def __init__(self, filename="", file_label=""):
        gr.basic_block.__init__(self, name="gsm_jsonl_sink", in_sig=None, out_sig=None)
        self._label = file_label or None
        self._log = gr.logger("gsm_jsonl_sink")
        self.records_written = 0
        self._output = jsonl_output(filename, self._log)
        self._output.check_writable()  # the file itself appears only from start()
        for port in GSM_PORTS:
            self.message_port_register_in(pmt.intern(port))
            self.set_msg_handler(pmt.intern(port), self._on_record)

    def start(self):
        self._output.reopen()
        return True

    def stop(self):
        self._output.close()
        return True

    def _on_record(self, msg):
        if not self._output.is_open:
            return
        try:
            line = gsm_jsonl_line(gsm_record(msg), self._label)
        except (ValueError, KeyError, TypeError) as err:
            self._log.warn("ignoring message: %s" % err)
            return
        self.records_written += self._output.write_lines([line])
