#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""jsonl_output: the all-or-nothing output file of the JSON Lines sinks, and the message
sink that writes one record message per line through it."""

import os
import sys

import pmt
from gnuradio import gr


class jsonl_output:
    """JSON Lines to FILENAME.part, renamed to FILENAME on close, removed after a write
    error so a failed run leaves nothing; to standard output when filename is empty.
    Errors are logged through `log` (a gr.logger), never raised from a running flowgraph:
    a Python block that raises in start() leaves the flowgraph hanging."""

    def __init__(self, filename, log):
        self.filename = filename
        self._log = log
        self._out = None

    @property
    def is_open(self):
        return self._out is not None

    def open(self):
        """Open (raising OSError): call from a constructor, where the caller sees it."""
        self._out = open(self.filename + ".part", "w", encoding="utf-8") if self.filename else sys.stdout

    def check_writable(self):
        """Raise OSError now when the file cannot be written; leave nothing behind."""
        if self.filename:
            open(self.filename + ".part", "w", encoding="utf-8").close()
            os.remove(self.filename + ".part")

    def reopen(self):
        """Open from start(): a failure is logged and the output stays closed."""
        try:
            self.open()
        except OSError as err:
            self._log.error("cannot write %s: %s" % (self.filename, err))

    def write_lines(self, lines):
        """Write and flush; a write error discards the whole output."""
        if self._out is None:
            return 0
        try:
            for line in lines:
                self._out.write(line + "\n")
            self._out.flush()
            return len(lines)
        except OSError as err:
            self._log.error("cannot write %s: %s; no output is kept" % (self.filename, err))
            out, self._out = self._out, None
            if out is not sys.stdout:
                out.close()
                os.remove(self.filename + ".part")
            return 0

    def close(self):
        """Publish: rename the finished file into place (or flush standard output)."""
        out, self._out = self._out, None
        if out is None or out is sys.stdout:
            sys.stdout.flush()
            return
        out.close()
        os.replace(self.filename + ".part", self.filename)


class jsonl_record_sink(gr.basic_block):
    """Writes every message it receives on `ports` as the one JSON line to_line(msg,
    file_label or None) gives, counting them in records_written. Output goes to filename,
    or to standard output when filename is empty, through jsonl_output: the file appears
    only from start() and is renamed into place when the flowgraph stops. An unwritable
    file raises OSError here, in the constructor. A message to_line cannot read
    (ValueError, KeyError, TypeError) is logged and skipped."""

    def __init__(self, name, ports, to_line, filename, file_label):
        gr.basic_block.__init__(self, name=name, in_sig=None, out_sig=None)
        self._to_line = to_line
        self._label = file_label or None
        self._log = gr.logger(name)
        self.records_written = 0
        self._output = jsonl_output(filename, self._log)
        self._output.check_writable()  # the file itself appears only from start()
        for port in ports:
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
            line = self._to_line(msg, self._label)
        except (ValueError, KeyError, TypeError) as err:
            self._log.warn("ignoring message: %s" % err)
            return
        self.records_written += self._output.write_lines([line])
