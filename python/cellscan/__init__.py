#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""gr-cellscan: find and measure GSM and UMTS carriers in recordings.

Blocks:
  sigmf_source      stream a SigMF recording (or raw IQ file) with rx_time/rx_rate/rx_freq tags
  synth_source      stream a `cellscan synth` scenario live (same samples as the CLI's cf32)
  channel_power     per-channel power, noise floor, SNR and occupancy, one report per period
  power_jsonl_sink  write channel_power reports as JSON Lines
Helpers:
  report_rows       a channel_power report (PMT dict) as a list of plain dicts
"""

from .cellscan_python import *  # noqa: F401,F403  (C++ blocks)
from .power_report import report_rows  # noqa: F401
from .power_jsonl_sink import power_jsonl_sink  # noqa: F401
