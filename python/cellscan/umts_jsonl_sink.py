#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""umts_jsonl_sink: the UMTS cell searcher's messages as JSON Lines, as cellscan scan
writes them."""

import os
import sys

import pmt
from gnuradio import gr

from .umts_report import umts_jsonl_line, umts_record


class umts_jsonl_sink(gr.basic_block):
    """Writes every message it receives on "cells" (umts_cell records) and "carrier"
    (umts_carrier records) as one JSON line, with the keys, order and decimals of
    `cellscan scan --format jsonl`, and "file": file_label after "type" when file_label is
    not empty. Output goes to filename, or to standard output when filename is empty. A
    file is written as FILENAME.part from the start of the flowgraph and renamed into place
    when it stops; after a write error it is removed instead, so a failed run leaves no
    output, and neither does a flowgraph that never starts. An unwritable file raises
    OSError here, in the constructor."""

    def __init__(self, filename="", file_label=""):
        gr.basic_block.__init__(self, name="umts_jsonl_sink", in_sig=None, out_sig=None)
        self._filename = filename
        self._label = file_label or None
        self._log = gr.logger("umts_jsonl_sink")
        self.records_written = 0
        self._out = None
        if filename:
            # Checked here, where an error reaches the caller (a Python block that raises
            # in start() leaves the flowgraph hanging), and removed until start().
            self._open().close()
            os.remove(filename + ".part")
        for port in ("cells", "carrier"):
            self.message_port_register_in(pmt.intern(port))
            self.set_msg_handler(pmt.intern(port), self._on_record)

    def _open(self):
        if not self._filename:
            return sys.stdout
        return open(self._filename + ".part", "w", encoding="utf-8")

    def start(self):
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

    def _on_record(self, msg):
        if self._out is None:
            return
        try:
            line = umts_jsonl_line(umts_record(msg), self._label)
        except (ValueError, KeyError, TypeError) as err:
            self._log.warn("ignoring message: %s" % err)
            return
        try:
            self._out.write(line + "\n")
            self._out.flush()
            self.records_written += 1
        except OSError as err:
            self._fail(err)
