#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Reading the GSM blocks' messages from Python.

gsm_carrier_searcher publishes one PMT dict per channel ("channels" port, type
"gsm_channel"), carrier ("carriers", "gsm_carrier") and channel with bursts ("activities",
"gsm_activity"), and one per scan ("scan", "gsm_scan"), with unrounded values. gsm_record()
turns one into a plain dict; gsm_jsonl_line() writes it as one JSON line laid out as
`cellscan scan --format jsonl` writes the same record (apps/cellscan/scan_gsm.c): the same
keys in the same order, each number with the CLI's number of decimals and strings escaped
as the CLI escapes them, so a flowgraph's output can be compared with the CLI's line by
line. NaN and infinite values become null.
"""

import math

import pmt

# (key, format) in the CLI's order; format: an int (decimals), "int" (integer or null),
# "text" (string or null), "bool", "bsic", "ints" (list of integers), "intervals".
_CHANNEL_KEYS = [("arfcn", "int"), ("band", "text")]
_FIELDS = {
    "gsm_channel": _CHANNEL_KEYS + [
        ("link", "text"), ("freq_hz", 1), ("offset_hz", 1), ("power_dbfs", 2),
        ("noise_dbfs", 2), ("snr_db", 2), ("carrier", "bool"), ("offset_khz", 1)],
    "gsm_carrier": _CHANNEL_KEYS + [
        ("freq_hz", 1), ("offset_hz", 1), ("freq_error_hz", 1), ("power_dbfs", 2),
        ("snr_db", 2), ("fcch_count", "int"), ("bsic", "bsic"), ("frame_numbers", "ints"),
        ("t_first_s", 6), ("t_last_s", 6), ("freq_error_sigma_hz", 1), ("noise_dbfs", 2),
        ("fcch_detections", "int"), ("sch_count", "int"), ("sch_attempts", "int"),
        ("first_fn", "int"), ("first_fn_time_s", 6), ("envelope_ratio", 3),
        ("evidence", "text"), ("offset_khz", 1), ("bsic_text", "text")],
    "gsm_activity": _CHANNEL_KEYS + [
        ("link", "text"), ("timeslots", "ints"), ("bursts", "int"), ("power_dbfs", 2),
        ("intervals", "intervals"), ("freq_hz", 1), ("offset_hz", 1),
        ("timeslot_reference", "text"), ("bursts_per_ts", "ints"), ("snr_db", 2),
        ("duty_cycle", 3), ("active_s", 4), ("envelope_ratio", 3), ("offset_khz", 1)],
    # the flowgraph's own summary of a scan (the CLI folds it into its "summary")
    "gsm_scan": [
        ("receiver_ppm", 4), ("receiver_ppm_sigma", 4), ("receiver_ppm_carriers", "int"),
        ("carriers", "int"), ("activities", "int"), ("channels", "int"),
        ("noise_dbfs_hz", 2), ("fcch_threshold", 2), ("max_offset_hz", 1),
        ("sample_rate_hz", 1), ("centre_hz", 1), ("duration_s", 6), ("t_start_s", 6),
        ("t_end_s", 6)],
}
GSM_RECORD_TYPES = tuple(_FIELDS)


def gsm_record(msg):
    """A gsm_channel, gsm_carrier, gsm_activity or gsm_scan message as a dict (values as
    published). Raises ValueError for any other message."""
    record = pmt.to_python(msg) if isinstance(msg, pmt.pmt_base) else msg
    if not isinstance(record, dict) or record.get("type") not in _FIELDS:
        raise ValueError("not a GSM scan record: %s" %
                         (pmt.write_string(msg)[:80] if isinstance(msg, pmt.pmt_base) else msg,))
    missing = [key for key, _ in _FIELDS[record["type"]] if key not in record]
    if missing:
        raise ValueError("%s record without %s" % (record["type"], ", ".join(missing)))
    return record


def json_text(s):
    """A JSON string as the CLI writes it (cli_json_string: UTF-8 kept, control
    characters escaped); None is null."""
    if s is None:
        return "null"
    named = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    out = []
    for ch in str(s):
        if ch in named:
            out.append(named[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _number(value, decimals):
    if value is None or not math.isfinite(float(value)):
        return "null"
    return "%.*f" % (decimals, float(value))


def _value(value, form):
    if isinstance(form, int) and not isinstance(form, bool):
        return _number(value, form)
    if value is None:
        return "null"
    if form == "int":
        return "%d" % int(value)
    if form == "text":
        return json_text(value)
    if form == "bool":
        return "true" if value else "false"
    if form == "bsic":
        return '{"ncc":%d,"bcc":%d}' % (int(value["ncc"]), int(value["bcc"]))
    if form == "ints":
        return "[" + ",".join("%d" % int(v) for v in value) + "]"
    if form == "intervals":
        return "[" + ",".join("[%s,%s]" % (_number(a, 6), _number(b, 6))
                              for a, b in value) + "]"
    raise ValueError("unknown field format %r" % (form,))


def gsm_jsonl_line(record, filename=None):
    """One JSON line (no newline) for a record from gsm_record(): "type", then "file"
    when filename is given, then the fields in the CLI's order and precision."""
    kind = record["type"]
    parts = ['"type":%s' % json_text(kind)]
    if filename is not None:
        parts.append('"file":%s' % json_text(filename))
    for key, form in _FIELDS[kind]:
        parts.append("%s:%s" % (json_text(key), _value(record[key], form)))
    return "{" + ",".join(parts) + "}"
