#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""jsonl_output: the all-or-nothing output file of the JSON Lines sinks."""

import os
import sys


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
