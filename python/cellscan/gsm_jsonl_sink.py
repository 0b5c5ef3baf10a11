#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""gsm_jsonl_sink: the GSM carrier searcher's messages as JSON Lines, as cellscan scan
writes them."""

from .gsm_report import gsm_jsonl_line, gsm_record
from .jsonl_output import jsonl_record_sink

GSM_PORTS = ("channels", "carriers", "activities", "scan")


class gsm_jsonl_sink(jsonl_record_sink):
    """Writes every message it receives on "channels" (gsm_channel records), "carriers"
    (gsm_carrier), "activities" (gsm_activity) and "scan" (gsm_scan) as one JSON line, with
    the keys, order and decimals of `cellscan scan --format jsonl`, and "file": file_label
    after "type" when file_label is not empty. Output to filename (all or nothing) or to
    standard output: see jsonl_record_sink."""

    def __init__(self, filename="", file_label=""):
        jsonl_record_sink.__init__(self, "gsm_jsonl_sink", GSM_PORTS, _line, filename,
                                   file_label)


def _line(msg, label):
    return gsm_jsonl_line(gsm_record(msg), label)
