#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""power_jsonl_sink: channel_power reports to JSON Lines, one object per channel."""

import json

import pmt
from gnuradio import gr

from .jsonl_output import jsonl_output
from .power_report import report_rows


class power_jsonl_sink(gr.basic_block):
    """Writes every channel_power report it receives on its "power" message port as JSON
    Lines, one object per channel (see report_rows for the fields), to a file or, when
    filename is empty, to standard output. A file is written as FILENAME.part and renamed
    into place when the flowgraph stops; after a write error it is removed instead, so a
    failed run leaves no output. An unwritable file raises OSError here, in the
    constructor, not later in a running flowgraph. With only_occupied, channels below the
    occupancy threshold are left out."""

    def __init__(self, filename="", only_occupied=False):
        gr.basic_block.__init__(self, name="power_jsonl_sink", in_sig=None, out_sig=None)
        self._only_occupied = bool(only_occupied)
        self._log = gr.logger("power_jsonl_sink")
        self.rows_written = 0
        self._output = jsonl_output(filename, self._log)
        self._output.open()
        self.message_port_register_in(pmt.intern("power"))
        self.set_msg_handler(pmt.intern("power"), self._on_report)

    def start(self):
        if not self._output.is_open:  # the flowgraph runs again: a new file
            self._output.reopen()
        return True

    def stop(self):
        self._output.close()
        return True

    def _on_report(self, msg):
        if not self._output.is_open:
            return
        try:
            rows = report_rows(msg)
        except ValueError as err:
            self._log.warn("ignoring message: %s" % err)
            return
        lines = [json.dumps(row, allow_nan=False) for row in rows
                 if not self._only_occupied or row["occupied"]]
        self.rows_written += self._output.write_lines(lines)
