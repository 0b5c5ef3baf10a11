#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Test recordings for the GSM blocks' QA (not installed): GSM carriers with known BSIC,
frame timing and frequency error, written by `cellscan synth` ($CELLSCAN, or cellscan on
the PATH), with their truth, and a runner that passes samples through the blocks."""

import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pmt
from gnuradio import blocks, gr

from umts_qa_recordings import cellscan_cli

FRAME_S = 1250 * 6 / 1625000.0  # one TDMA frame
SYMBOL_S = 6 / 1625000.0


class GsmRecording:
    """A synthetic SigMF recording (cf32) in a temporary directory (removed by close()).
    args: the emitter and recording options of `cellscan synth`."""

    def __init__(self, *args):
        self._dir = tempfile.mkdtemp(prefix="qa_gsm_")
        self.base = os.path.join(self._dir, "gsm")
        subprocess.run([cellscan_cli(), "synth"] + [str(a) for a in args] + ["-o", self.base],
                       check=True, capture_output=True, timeout=120)
        self.meta = self.base + ".sigmf-meta"
        with open(self.base + ".truth.json") as f:
            self.truth = json.load(f)
        self.rate_hz = self.truth["recording"]["sample_rate_hz"]

    def carrier(self, i=0):
        """Truth of the i-th --gsm carrier (arfcn, ncc, bcc, first_fn, first_frame_s...)."""
        return self.truth["scenario"]["gsm"][i]

    def frame_start_s(self, fn, i=0):
        """Start of TS0 of frame fn of carrier i."""
        c = self.carrier(i)
        return c["first_frame_s"] + (fn - c["first_fn"]) * FRAME_S

    def frames(self, residues, i=0):
        """Frame numbers n whose FN mod 51 is in residues and whose frame lies wholly in
        the recording, with their start times."""
        c = self.carrier(i)
        duration_s = self.truth["recording"]["duration_s"]
        out = []
        fn = c["first_fn"]
        while self.frame_start_s(fn, i) + FRAME_S <= duration_s:
            if fn % 51 in residues and self.frame_start_s(fn, i) >= 0:
                out.append((fn, self.frame_start_s(fn, i)))
            fn += 1
        return out

    def samples(self):
        return np.fromfile(self.base + ".sigmf-data", dtype=np.complex64)

    def close(self):
        shutil.rmtree(self._dir, ignore_errors=True)


def run_chain(x, chain, block, port):
    """Samples x through the blocks of chain, in order, into a vector sink; returns the
    messages block sent on port (as Python), the output samples and the sink (its tags)."""
    tb = gr.top_block()
    snk = blocks.vector_sink_c()
    store = blocks.message_debug()
    tb.connect(blocks.vector_source_c(x.tolist(), False), *chain, snk)
    tb.msg_connect(block, port, store, "store")
    tb.run()
    msgs = [pmt.to_python(store.get_message(i)) for i in range(store.num_messages())]
    return msgs, np.array(snk.data(), dtype=np.complex64), snk
