#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.umts_scanner and cellscan.umts_jsonl_sink: the JSON Lines a scan writes
are the CLI's own lines; several carriers by UARFCN or offset; record conversion; bad
parameters and messages."""

import json
import os
import subprocess
import tempfile

import pmt
from gnuradio import gr, gr_unittest

from gnuradio import cellscan
from umts_qa_recordings import Recording, cellscan_cli, run_messages, strobe_sink

# Two carriers 5 MHz apart in a 15.36 MS/s recording centred between them.
WIDE = dict(cells={100: (-12.0, 10564), 200: (-14.0, 10589)}, extra=("--rate", "15.36e6"),
            centre_hz=2115.3e6, cfo_hz=0.0, duration_s=0.1, seed=5)


def clis_keys(line):
    """A line with only the keys the CLI writes: the scanner's umts_carrier records add the
    span (t_start_s, t_end_s) at the end."""
    return line.split(',"t_start_s":')[0] + "}" if '"t_start_s":' in line else line


def cli_lines(recording, *extra):
    proc = subprocess.run([cellscan_cli(), "scan", "--standard", "umts", "--format", "jsonl"] +
                          list(extra) + [recording], check=True, capture_output=True,
                          text=True, timeout=120)
    return [line for line in proc.stdout.splitlines() if '"type":"umts_' in line]


class qa_umts_scanner(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rec = Recording(duration_s=0.1)
        cls.wide = Recording(**WIDE)
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.rec.close()
        cls.wide.close()
        cls.tmp.cleanup()

    def scan_to_file(self, recording, **kwargs):
        out = os.path.join(self.tmp.name, "scan.jsonl")
        scanner = cellscan.umts_scanner(filename=out, file_label=recording, **kwargs)
        tb = gr.top_block()
        tb.connect(cellscan.sigmf_source(recording), scanner)
        tb.run()
        self.assertFalse(os.path.exists(out + ".part"))
        with open(out) as f:
            return [clis_keys(line) for line in f.read().splitlines()], scanner

    def test_001_docstrings(self):
        self.assertIn("cellscan scan", cellscan.umts_scanner.__doc__)
        self.assertIn("--format jsonl", cellscan.umts_jsonl_sink.__doc__)

    def test_002_lines_are_the_clis(self):
        lines, scanner = self.scan_to_file(self.rec.meta)
        self.assertEqual(sorted(lines), sorted(cli_lines(self.rec.meta)))
        self.assertEqual(scanner.num_cells(), 3)
        kinds = [json.loads(line)["type"] for line in lines]
        self.assertEqual(sorted(kinds), ["umts_carrier"] + ["umts_cell"] * 3)

    def test_003_carriers_by_uarfcn_and_offset(self):
        want = sorted(cli_lines(self.wide.meta, "--uarfcn", "10564", "--uarfcn", "10589"))
        self.assertEqual(len(want), 4)  # a carrier record and a cell per carrier
        by_uarfcn, _ = self.scan_to_file(self.wide.meta, carrier="uarfcn",
                                         uarfcns=[10564, 10589])
        self.assertEqual(sorted(by_uarfcn), want)
        by_offset, _ = self.scan_to_file(self.wide.meta, carrier="offset",
                                         offsets_hz=[-2.5e6, 2.5e6])
        self.assertEqual(sorted(by_offset), want)
        cells = {json.loads(line)["psc"]: json.loads(line) for line in by_offset
                 if '"umts_cell"' in line}
        self.assertEqual((cells[100]["uarfcn"], cells[200]["uarfcn"]), (10564, 10589))

    def test_004_message_ports(self):
        scanner = cellscan.umts_scanner()
        out = run_messages(cellscan.sigmf_source(self.rec.meta), scanner, ("cells", "carrier"))
        self.assertEqual(sorted(c["psc"] for c in out["cells"]), [100, 205, 333])
        self.assertEqual([c["cells"] for c in out["carrier"]], [3])

    def test_005_record_lines(self):
        record = {"type": "umts_cell", "uarfcn": None, "band": None, "freq_hz": float("nan"),
                  "offset_hz": 0.0, "psc": 7, "group": 0, "rscp_dbfs": -30.004,
                  "rssi_dbfs": -20.0, "ecio_db": -10.004, "freq_error_hz": -12.34,
                  "frame_offset_chips": 12.345, "paths": [{"delay_chips": 0.0,
                                                            "ecio_db": -10.004}],
                  "t_first_s": 1e-5, "t_last_s": 0.1, "peak_ecio_db": -10.004, "n_paths": 1,
                  "offset_khz": 0.0, "drift_ppm": float("nan"), "cpich_z": 99.0,
                  "psch_snr_db": 3.0, "ssch_z": 7.0, "round": 1}
        line = cellscan.umts_jsonl_line(cellscan.umts_record(record), "f.sigmf-meta")
        self.assertTrue(line.startswith('{"type":"umts_cell","file":"f.sigmf-meta","uarfcn":null,'
                                        '"band":null,"freq_hz":null,"offset_hz":0.0,"psc":7,'))
        self.assertIn('"rscp_dbfs":-30.00,', line)
        self.assertIn('"paths":[{"delay_chips":0.00,"ecio_db":-10.00}]', line)
        self.assertIn('"t_first_s":0.000010,', line)
        self.assertIn('"drift_ppm":null,', line)
        self.assertEqual(json.loads(line)["frame_offset_chips"], 12.35)
        for bad in ({"type": "gsm_carrier"}, {"type": "umts_cell", "psc": 1}, [1, 2]):
            with self.assertRaises(ValueError):
                cellscan.umts_record(bad)

    def test_006_sink_ignores_other_messages(self):
        out = os.path.join(self.tmp.name, "other.jsonl")
        sink = cellscan.umts_jsonl_sink(out)
        cell = {"type": "umts_cell", "uarfcn": 10564, "band": "UMTS-I", "freq_hz": 2112.8e6,
                "offset_hz": 0.0, "psc": 7, "group": 0, "rscp_dbfs": -30.0, "rssi_dbfs": -20.0,
                "ecio_db": -10.0, "freq_error_hz": 1.0, "frame_offset_chips": 1.0,
                "paths": [], "t_first_s": 0.0, "t_last_s": 0.1, "peak_ecio_db": -10.0,
                "n_paths": 0, "offset_khz": 0.0, "drift_ppm": 0.0, "cpich_z": 9.0,
                "psch_snr_db": 3.0, "ssch_z": 7.0, "round": 1}
        lines = strobe_sink(sink, out, [(pmt.to_pmt(cell), "cells"),
                                        (pmt.intern("hello"), "cells")])
        self.assertGreater(len(lines), 0)
        self.assertEqual(len(lines), sink.records_written)
        for line in lines:
            self.assertEqual(json.loads(line)["psc"], 7)

    def test_007_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "auto, uarfcn or offset"):
            cellscan.umts_scanner(carrier="lte")
        with self.assertRaisesRegex(ValueError, "uarfcns"):
            cellscan.umts_scanner(carrier="uarfcn", uarfcns=[])
        with self.assertRaisesRegex(ValueError, "at least 3.84 MS/s"):
            cellscan.umts_scanner(samp_rate=1e6, use_tags=False)
        with self.assertRaises(OSError):
            cellscan.umts_scanner(filename=os.path.join(self.tmp.name, "no", "such", "x"))


if __name__ == "__main__":
    gr_unittest.run(qa_umts_scanner)
