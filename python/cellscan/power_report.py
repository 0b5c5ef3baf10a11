#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Reading channel_power's reports from Python.

channel_power publishes one PMT dict per integration period: scalars about the period and
one vector per column of the channel table (see the block's documentation).
report_rows() turns it into one plain dict per channel, with the period's facts repeated
in each, numbers JSON can carry (None for NaN or infinite values) and the channel number
under the name the report contract uses: "arfcn" (GSM), "uarfcn" (UMTS), absent for bins.
"""

import math

import pmt

_NUMBER_KEY = {"gsm": "arfcn", "umts": "uarfcn"}


def _finite(x):
    x = float(x)
    return x if math.isfinite(x) else None


def report_rows(msg):
    """The channels of one channel_power report, ordered by frequency, as dicts."""
    report = pmt.to_python(msg)
    if not isinstance(report, dict) or "power_dbfs" not in report:
        raise ValueError("not a channel_power report: %s" % (pmt.write_string(msg)[:80],))
    raster = report["raster"]
    number_key = _NUMBER_KEY.get(raster)
    rows = []
    for i in range(len(report["power_dbfs"])):
        row = {"type": "channel_power", "raster": raster}
        if number_key:
            number = int(report["number"][i])
            row[number_key] = number if number >= 0 else None
        row.update({
            "band": report["band"][i],
            "link": "uplink" if report["uplink"][i] else "downlink",
            "freq_hz": _finite(report["freq_hz"][i]),
            "offset_hz": _finite(report["offset_hz"][i]),
            "bandwidth_hz": _finite(report["bandwidth_hz"][i]),
            "power_dbfs": _finite(report["power_dbfs"][i]),
            "noise_dbfs": _finite(report["noise_dbfs"][i]),
            "snr_db": _finite(report["snr_db"][i]),
            "occupied": bool(report["occupied"][i]),
            "t_start_s": _finite(report["t_start_s"]),
            "t_end_s": _finite(report["t_end_s"]),
        })
        rows.append(row)
    return rows
