#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Test recordings for the UMTS blocks' QA (not installed): UMTS cells with known PSC,
Ec/Io and frequency offset, written by `cellscan synth` ($CELLSCAN, or cellscan on the
PATH), a flowgraph runner that collects a block's messages, and one that sends messages
to a JSON Lines sink."""

import json
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np
import pmt
from gnuradio import blocks, gr

# Three cells on UARFCN 10564 (UMTS-I, 2112.8 MHz); the receiver is 730 Hz high, so every
# cell shows a frequency error of -730 Hz.
CENTRE_HZ = 2112.8e6
UARFCN = 10564
CFO_HZ = 730.0
CELLS = {100: -14.0, 205: -17.0, 333: -20.0}  # PSC: CPICH Ec/Io (dB)
RATE_HZ = 7.68e6


def cellscan_cli():
    exe = os.environ.get("CELLSCAN") or shutil.which("cellscan")
    if not exe:
        raise RuntimeError("cellscan CLI not found: set CELLSCAN (ctest does)")
    return exe


class Recording:
    """A synthetic SigMF recording in a temporary directory (removed by close())."""

    def __init__(self, duration_s=0.2, cells=None, extra=(), seed=3, centre_hz=CENTRE_HZ,
                 cfo_hz=CFO_HZ):
        """cells: {PSC: Ec/Io dB, or (Ec/Io dB, UARFCN)}; the UARFCN defaults to the centre."""
        self._dir = tempfile.mkdtemp(prefix="qa_umts_")
        self.base = os.path.join(self._dir, "umts")
        self.cells = dict(CELLS if cells is None else cells)
        args = [cellscan_cli(), "synth", "--freq", repr(centre_hz), "--cfo", repr(cfo_hz),
                "--duration", repr(duration_s), "--seed", str(seed), "-o", self.base]
        for psc, cell in self.cells.items():
            ecio_db, uarfcn = cell if isinstance(cell, tuple) else (cell, None)
            args += ["--umts", "%d:%g" % (psc, ecio_db) + ("" if uarfcn is None else
                                                          ":%d" % uarfcn)]
        subprocess.run(args + list(extra), check=True, capture_output=True, timeout=120)
        self.meta = self.base + ".sigmf-meta"
        with open(self.meta) as f:
            meta = json.load(f)
        self.rate_hz = float(meta["global"]["core:sample_rate"])

    def samples(self):
        """The recording as complex64 (cellscan synth writes cf32_le)."""
        return np.fromfile(self.base + ".sigmf-data", dtype=np.complex64)

    def close(self):
        shutil.rmtree(self._dir, ignore_errors=True)


def run_messages(source, block, ports, middle=()):
    """Run source -> middle... -> block; returns {port: [message as Python]}."""
    tb = gr.top_block()
    chain = [source] + list(middle) + [block]
    for a, b in zip(chain, chain[1:]):
        tb.connect(a, b)
    stores = {}
    for port in ports:
        stores[port] = blocks.message_debug()
        tb.msg_connect(block, port, stores[port], "store")
    tb.run()
    return {port: [pmt.to_python(s.get_message(i)) for i in range(s.num_messages())]
            for port, s in stores.items()}


def strobe_sink(sink, out_path, sends, run_s=0.2):
    """Send each (message, port) of sends to sink every 20 ms for run_s; returns the lines
    the sink wrote to out_path once the flowgraph stopped."""
    tb = gr.top_block()
    for msg, port in sends:
        tb.msg_connect(blocks.message_strobe(msg, 20), "strobe", sink, port)
    tb.start()
    time.sleep(run_s)
    tb.stop()
    tb.wait()
    with open(out_path) as f:
        return f.read().splitlines()
