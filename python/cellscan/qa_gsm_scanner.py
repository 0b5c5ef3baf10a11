#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.gsm_scanner, gsm_carrier_searcher and gsm_jsonl_sink: the JSON Lines a
scan writes are the CLI's own lines, whole and in spans; the message ports; record
conversion; bad parameters and messages."""

import json
import os
import subprocess
import tempfile

import pmt
from gnuradio import gr, gr_unittest

from gnuradio import cellscan
from gsm_qa_recordings import GsmRecording
from umts_qa_recordings import cellscan_cli, run_messages, strobe_sink

PORTS = ("channels", "carriers", "activities", "scan")


def cli_lines(recording, *extra):
    proc = subprocess.run([cellscan_cli(), "scan", "--standard", "gsm", "--format", "jsonl"] +
                          list(extra) + [recording], check=True, capture_output=True,
                          text=True, timeout=120)
    return [line for line in proc.stdout.splitlines() if '"type":"gsm_' in line]


class qa_gsm_scanner(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # two C0s, traffic on a third channel, 2 MS/s around 941.4 MHz
        cls.rec = GsmRecording("--gsm", "30:3:5:20", "--gsm", "33:1:2:12", "--traffic",
                               "32:2,5:15", "--freq", "941.4e6", "--rate", "2e6", "--cfo",
                               "300", "--duration", "0.5", "--seed", "4")
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()
        cls.tmp.cleanup()

    def scan_to_file(self, **kwargs):
        out = os.path.join(self.tmp.name, "scan.jsonl")
        scanner = cellscan.gsm_scanner(filename=out, file_label=self.rec.meta, **kwargs)
        tb = gr.top_block()
        tb.connect(cellscan.sigmf_source(self.rec.meta), scanner)
        tb.run()
        self.assertFalse(os.path.exists(out + ".part"))
        with open(out) as f:
            lines = f.read().splitlines()
        return [line for line in lines if '"gsm_scan"' not in line], lines, scanner

    def test_001_docstrings(self):
        self.assertIn("cellscan scan", cellscan.gsm_scanner.__doc__)
        self.assertIn("--format jsonl", cellscan.gsm_jsonl_sink.__doc__)
        self.assertIn("gsm_carrier", cellscan.gsm_carrier_searcher.__doc__)

    def test_002_lines_are_the_clis(self):
        lines, everything, scanner = self.scan_to_file()
        want = cli_lines(self.rec.meta)
        self.assertEqual(sorted(lines), sorted(want))
        carriers = [json.loads(line) for line in lines if '"gsm_carrier"' in line]
        bsics = {c["arfcn"]: (c["bsic"]["ncc"], c["bsic"]["bcc"]) for c in carriers
                 if c["bsic"]}
        self.assertEqual(bsics, {30: (3, 5), 33: (1, 2)})
        self.assertEqual(scanner.num_carriers(), len(carriers))
        scans = [json.loads(line) for line in everything if '"gsm_scan"' in line]
        self.assertEqual(len(scans), 1)
        self.assertEqual((scans[0]["t_start_s"], scans[0]["t_end_s"]), (0.0, 0.5))
        self.assertAlmostEqual(scans[0]["receiver_ppm"], -300 / 941.4, delta=0.05)

    def test_003_spans(self):
        lines, everything, _ = self.scan_to_file(span_s=0.25)
        scans = [json.loads(line) for line in everything if '"gsm_scan"' in line]
        self.assertEqual([(s["t_start_s"], s["t_end_s"]) for s in scans],
                         [(0.0, 0.25), (0.25, 0.5)])
        want = cli_lines(self.rec.meta, "--duration", "0.25") + cli_lines(
            self.rec.meta, "--start", "0.25", "--duration", "0.25")
        self.assertEqual(sorted(lines), sorted(want))

    def test_004_message_ports(self):
        out = run_messages(cellscan.sigmf_source(self.rec.meta), cellscan.gsm_scanner(),
                           PORTS)
        self.assertEqual({c["type"] for c in out["channels"]}, {"gsm_channel"})
        self.assertEqual(len(out["scan"]), 1)
        self.assertEqual(len(out["channels"]), out["scan"][0]["channels"])
        c0 = {c["arfcn"]: c for c in out["carriers"]}
        self.assertEqual(c0[30]["bsic"], {"ncc": 3, "bcc": 5})
        self.assertEqual(c0[30]["bsic_text"], "3-5")
        self.assertTrue(all(b - a in (10, 11) for a, b in
                            zip(c0[30]["frame_numbers"], c0[30]["frame_numbers"][1:])))
        acts = {a["arfcn"]: a for a in out["activities"]}
        self.assertIn(32, acts)
        self.assertEqual(acts[32]["timeslots"], [2, 5])  # numbered from the C0's timing
        self.assertEqual(acts[32]["timeslot_reference"], "c0")

    def test_005_record_lines(self):
        record = {"type": "gsm_carrier", "arfcn": None, "band": None,
                  "freq_hz": float("nan"), "offset_hz": -200000.0, "freq_error_hz": 12.34,
                  "power_dbfs": -30.004, "snr_db": 20.0, "fcch_count": 2,
                  "bsic": {"ncc": 7, "bcc": 1}, "frame_numbers": [5, 15],
                  "t_first_s": 1e-5, "t_last_s": 0.1, "freq_error_sigma_hz": 2.0,
                  "noise_dbfs": -50.0, "fcch_detections": 2, "sch_count": 2,
                  "sch_attempts": 2, "first_fn": 5, "first_fn_time_s": 0.001,
                  "envelope_ratio": 0.1, "evidence": "sch", "offset_khz": -200.0,
                  "bsic_text": "7-1"}
        line = cellscan.gsm_jsonl_line(cellscan.gsm_record(record), 'a"b.sigmf-meta')
        self.assertTrue(line.startswith('{"type":"gsm_carrier","file":"a\\"b.sigmf-meta",'
                                        '"arfcn":null,"band":null,"freq_hz":null,'
                                        '"offset_hz":-200000.0,"freq_error_hz":12.3,'))
        self.assertIn('"bsic":{"ncc":7,"bcc":1},"frame_numbers":[5,15],'
                      '"t_first_s":0.000010,', line)
        self.assertEqual(json.loads(line)["power_dbfs"], -30.0)
        act = {"type": "gsm_activity", "arfcn": 40, "band": "P-GSM900", "link": "uplink",
               "timeslots": [3], "bursts": 9, "power_dbfs": -40.0,
               "intervals": [(0.05, 0.15)], "freq_hz": 898e6, "offset_hz": 0.0,
               "timeslot_reference": "relative", "bursts_per_ts": [0, 0, 0, 9, 0, 0, 0, 0],
               "snr_db": 10.0, "duty_cycle": 0.01, "active_s": 0.1, "envelope_ratio": 0.2,
               "offset_khz": 0.0}
        self.assertIn('"intervals":[[0.050000,0.150000]]',
                      cellscan.gsm_jsonl_line(cellscan.gsm_record(act)))
        for bad in ({"type": "umts_cell"}, {"type": "gsm_carrier", "arfcn": 1}, [1, 2]):
            with self.assertRaises(ValueError):
                cellscan.gsm_record(bad)

    def test_006_sink_ignores_other_messages(self):
        out = os.path.join(self.tmp.name, "other.jsonl")
        sink = cellscan.gsm_jsonl_sink(out)
        scan = {"type": "gsm_scan", "receiver_ppm": 0.5, "receiver_ppm_sigma": 0.1,
                "receiver_ppm_carriers": 1, "carriers": 1, "activities": 0, "channels": 3,
                "noise_dbfs_hz": -90.0, "fcch_threshold": 30.0, "max_offset_hz": 25e3,
                "sample_rate_hz": 1e6, "centre_hz": 941e6, "duration_s": 1.0,
                "t_start_s": 0.0, "t_end_s": 1.0}
        lines = strobe_sink(sink, out, [(pmt.to_pmt(scan), "scan"),
                                        (pmt.intern("hello"), "carriers")])
        self.assertGreater(len(lines), 0)
        self.assertEqual(len(lines), sink.records_written)
        for line in lines:
            self.assertEqual(json.loads(line)["channels"], 3)

    def test_007_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "at least 400 kS/s"):
            cellscan.gsm_scanner(samp_rate=200e3, use_tags=False)
        with self.assertRaisesRegex(ValueError, "span"):
            cellscan.gsm_scanner(span_s=0.001)
        with self.assertRaisesRegex(ValueError, "unknown GSM band"):
            cellscan.gsm_scanner(samp_rate=1e6, centre_freq=941e6, band="UMTS-I")
        with self.assertRaisesRegex(ValueError, "no GSM channel"):
            cellscan.gsm_scanner(samp_rate=1e6, centre_freq=2140e6)
        with self.assertRaises(OSError):
            cellscan.gsm_scanner(filename=os.path.join(self.tmp.name, "no", "such", "x"))


if __name__ == "__main__":
    gr_unittest.run(qa_gsm_scanner)
