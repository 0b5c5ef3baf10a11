#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""umts_jsonl_sink: the UMTS cell searcher's messages as JSON Lines, as cellscan scan
writes them."""

from .jsonl_output import jsonl_record_sink
from .umts_report import umts_jsonl_line, umts_record

UMTS_PORTS = ("cells", "carrier")


class umts_jsonl_sink(jsonl_record_sink):
    """Writes every message it receives on "cells" (umts_cell records) and "carrier"
    (umts_carrier records) as one JSON line, with the keys, order and decimals of
    `cellscan scan --format jsonl`, and "file": file_label after "type" when file_label is
    not empty. Output to filename (all or nothing) or to standard output: see
    jsonl_record_sink."""

    def __init__(self, filename="", file_label=""):
        jsonl_record_sink.__init__(self, "umts_jsonl_sink", UMTS_PORTS, _line, filename,
                                   file_label)


def _line(msg, label):
    return umts_jsonl_line(umts_record(msg), label)
