#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""power_jsonl_sink: channel_power reports to JSON Lines, one object per channel."""

import json
import os
import sys

import pmt
from gnuradio import gr

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
        self._filename = filename
        self._only_occupied = bool(only_occupied)
        self._log = gr.logger("power_jsonl_sink")
        self.rows_written = 0
        self._out = self._open()
        self.message_port_register_in(pmt.intern("power"))
        self.set_msg_handler(pmt.intern("power"), self._on_report)

    def _open(self):
        if not self._filename:
            return sys.stdout
        # Opened here, where an error reaches the caller: a Python block that raises in
        # start() leaves the flowgraph hanging.
        return open(self._filename + ".part", "w", encoding="utf-8")

    def start(self):
        if self._out is None:  # the flowgraph runs again: a new file
            try:
                self._out = self._open()
            except OSError as err:
                self._log.error("cannot write %s: %s" % (self._filename, err))
        return True

    def stop(self):
        out, self._out = self._out, None
        if out is None or out is sys.stdout:
            sys.stdout.flush()
            return True
        out.close()
        os.replace(self._filename + ".part", self._filename)
        return True

    def _fail(self, err):
        self._log.error("cannot write %s: %s; no output is kept" % (self._filename, err))
        out, self._out = self._out, None
        if out is not None and out is not sys.stdout:
            out.close()
            os.remove(self._filename + ".part")

    def _on_report(self, msg):
        if self._out is None:
            return
        try:
            rows = report_rows(msg)
        except ValueError as err:
            self._log.warn("ignoring message: %s" % err)
            return
        try:
            for row in rows:
                if self._only_occupied and not row["occupied"]:
                    continue
                self._out.write(json.dumps(row, allow_nan=False) + "\n")
                self.rows_written += 1
            self._out.flush()
        except OSError as err:
            self._fail(err)
