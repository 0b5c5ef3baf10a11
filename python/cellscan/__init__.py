#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""gr-cellscan: find and measure GSM and UMTS carriers in recordings.

Blocks:
  sigmf_source      stream a SigMF recording (or raw IQ file) with rx_time/rx_rate/rx_freq tags
  synth_source      stream a `cellscan synth` scenario live (same samples as the CLI's cf32)
  channel_power     per-channel power, noise floor, SNR and occupancy, one report per period
  power_jsonl_sink  write channel_power reports as JSON Lines
  gsm_carrier_searcher  every GSM carrier, burst and channel of a wideband stream (cellscan scan's)
  gsm_jsonl_sink    write the GSM searcher's records as cellscan scan --format jsonl writes them
  gsm_scanner       hier block: GSM carrier searcher (+ JSON Lines), to put after a source
  gsm_fcch_detector FCCH bursts of one channel: gsm_fcch stream tags (offset, power, SNR)
  gsm_sch_decoder   SCH bursts of one channel: BSIC and frame number messages
  gsm_burst_activity  per-timeslot burst activity of one channel, with active intervals
  umts_cell_searcher  every UMTS cell on a carrier, with its measurements (cellscan scan's search)
  umts_jsonl_sink   write the searcher's cells as cellscan scan --format jsonl writes them
  umts_scanner      hier block: searcher per carrier (+ JSON Lines), to put after a source
  umts_frontend     one UMTS carrier to 7.68 MS/s, matched-filtered (for the two below)
  umts_psch_sync    P-SCH slot timing: candidates per period, umts_slot tags
  umts_cpich_meas   CPICH RSCP, Ec/Io, frequency error of a known cell per period
  umts_merge        one publisher for several searchers' messages (used by umts_scanner)
Helpers:
  report_rows       a channel_power report (PMT dict) as a list of plain dicts
  gsm_record        a GSM scan message as a dict; gsm_jsonl_line its JSON line
  umts_record       a UMTS cell/carrier message as a dict; umts_jsonl_line its JSON line
"""

from .cellscan_python import *  # noqa: F401,F403  (C++ blocks)
from .power_report import report_rows  # noqa: F401
from .power_jsonl_sink import power_jsonl_sink  # noqa: F401
from .gsm_report import gsm_jsonl_line, gsm_record  # noqa: F401
from .gsm_jsonl_sink import gsm_jsonl_sink  # noqa: F401
from .gsm_scanner import gsm_scanner  # noqa: F401
from .umts_report import umts_jsonl_line, umts_record  # noqa: F401
from .umts_jsonl_sink import umts_jsonl_sink  # noqa: F401
from .umts_scanner import umts_scanner  # noqa: F401
