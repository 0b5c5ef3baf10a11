#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Reading the UMTS blocks' messages from Python.

umts_cell_searcher publishes one PMT dict per cell ("cells" port, type "umts_cell") and one
per search ("carrier" port, type "umts_carrier"), with unrounded values. umts_record()
turns one into a plain dict; umts_jsonl_line() writes it as one JSON line laid out as
`cellscan scan --format jsonl` writes the same record: the same keys in the same order and
each number with the CLI's number of decimals, so a flowgraph's output can be compared
with the CLI's line by line. NaN and infinite values become null.
"""

import json
import math

import pmt

# (key, decimals) in the CLI's order (apps/cellscan/scan_umts.c); decimals None: an integer
# or text, "paths": the list of paths.
_CELL_FIELDS = [
    ("uarfcn", None), ("band", None), ("freq_hz", 1), ("offset_hz", 1), ("psc", None),
    ("group", None), ("rscp_dbfs", 2), ("rssi_dbfs", 2), ("ecio_db", 2),
    ("freq_error_hz", 1), ("frame_offset_chips", 2), ("paths", "paths"), ("t_first_s", 6),
    ("t_last_s", 6), ("peak_ecio_db", 2), ("n_paths", None), ("offset_khz", 1),
    ("drift_ppm", 3), ("cpich_z", 1), ("psch_snr_db", 2), ("ssch_z", 1), ("round", None),
]
_CARRIER_FIELDS = [
    ("uarfcn", None), ("band", None), ("freq_hz", 1), ("offset_hz", 1), ("rssi_dbfs", 2),
    ("freq_error_hz", 1), ("cells", None), ("drift_ppm", 4), ("t_start_s", 6),
    ("t_end_s", 6),
]
_FIELDS = {"umts_cell": _CELL_FIELDS, "umts_carrier": _CARRIER_FIELDS}


def umts_record(msg):
    """A umts_cell or umts_carrier message as a dict (values as published). Raises
    ValueError for any other message."""
    record = pmt.to_python(msg) if isinstance(msg, pmt.pmt_base) else msg
    if not isinstance(record, dict) or record.get("type") not in _FIELDS:
        raise ValueError("not a UMTS cell or carrier record: %s" %
                         (pmt.write_string(msg)[:80] if isinstance(msg, pmt.pmt_base) else msg,))
    missing = [key for key, _ in _FIELDS[record["type"]] if key not in record]
    if missing:
        raise ValueError("%s record without %s" % (record["type"], ", ".join(missing)))
    return record


def _number(value, decimals):
    if value is None or not math.isfinite(float(value)):
        return "null"
    return "%.*f" % (decimals, float(value))


def _value(value, decimals):
    if decimals == "paths":
        return "[" + ",".join('{"delay_chips":%s,"ecio_db":%s}' % (
            _number(p["delay_chips"], 2), _number(p["ecio_db"], 2)) for p in value or []) + "]"
    if decimals is not None:
        return _number(value, decimals)
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value)
    return "%d" % int(value)


def umts_jsonl_line(record, filename=None):
    """One JSON line (no newline) for a record from umts_record(): "type", then "file"
    when filename is given, then the fields in the CLI's order and precision."""
    kind = record["type"]
    parts = ['"type":%s' % json.dumps(kind)]
    if filename is not None:
        parts.append('"file":%s' % json.dumps(filename))
    for key, decimals in _FIELDS[kind]:
        parts.append('%s:%s' % (json.dumps(key), _value(record[key], decimals)))
    return "{" + ",".join(parts) + "}"
