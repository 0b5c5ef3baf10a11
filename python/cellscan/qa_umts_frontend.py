#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.umts_frontend: the carrier moves to 0 Hz at 7.68 MS/s, with output
sample m at m / 7.68 MHz; rx_rate / rx_freq / rx_time tags on the output; a new input
rate mid-stream; parameter errors."""

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan

WORK_HZ = 7.68e6


def make_tag(offset, key, value):
    tag = gr.tag_t()
    tag.offset = offset
    tag.key = pmt.intern(key)
    tag.value = value if isinstance(value, pmt.pmt_base) else pmt.from_double(value)
    return tag


def tone(n, rate_hz, freq_hz, start=0):
    t = (np.arange(n) + start) / rate_hz
    return (0.1 * np.exp(2j * np.pi * freq_hz * t)).astype(np.complex64)


def run(block, x, tags=()):
    sink = blocks.vector_sink_c()
    tb = gr.top_block()
    tb.connect(blocks.vector_source_c(x.tolist(), False, 1, list(tags)), block, sink)
    tb.run()
    out_tags = {}
    for t in sink.tags():
        out_tags.setdefault(pmt.symbol_to_string(t.key), []).append(
            (t.offset, pmt.to_python(t.value)))
    return np.array(sink.data(), dtype=np.complex64), out_tags


def freq_of(y, rate_hz):
    """Frequency of a tone from the mean phase step."""
    return np.angle(np.mean(y[1:] * np.conj(y[:-1]))) * rate_hz / (2 * np.pi)


class qa_umts_frontend(gr_unittest.TestCase):

    def test_001_docstrings(self):
        self.assertIn("7.68 MS/s", cellscan.umts_frontend.__doc__)
        self.assertIn("carrier_offset_hz", cellscan.umts_frontend.__init__.__doc__)

    def test_002_carrier_to_zero_at_working_rate(self):
        rate_hz, n = 10e6, 200000
        x = tone(n, rate_hz, 1.0e6 + 300.0)  # the carrier at +1 MHz, 300 Hz high
        block = cellscan.umts_frontend(rate_hz, 1.0e6, False)
        y, tags = run(block, x)
        self.assertLessEqual(len(y), n * WORK_HZ / rate_hz)
        self.assertGreater(len(y), n * WORK_HZ / rate_hz - 1000)
        self.assertAlmostEqual(freq_of(y[2000:], WORK_HZ), 300.0, delta=5.0)
        # inside the band the matched filter keeps the tone's amplitude
        self.assertAlmostEqual(float(np.mean(np.abs(y[2000:]))), 0.1, delta=0.02)
        self.assertEqual(tags["rx_rate"], [(0, WORK_HZ)])
        self.assertNotIn("rx_freq", tags)  # centre unknown
        self.assertEqual(block.samp_rate(), rate_hz)

    def test_003_tags_in_and_out(self):
        rate_hz, n = 10e6, 100000
        x = tone(n, rate_hz, -2.0e6, 0)
        time_value = pmt.make_tuple(pmt.from_uint64(1700000000), pmt.from_double(0.25))
        tags = [make_tag(0, "rx_rate", rate_hz), make_tag(0, "rx_freq", 2140e6),
                make_tag(50000, "rx_time", time_value)]
        y, out = run(cellscan.umts_frontend(0.0, -2.0e6), x, tags)
        self.assertEqual(out["rx_rate"], [(0, WORK_HZ)])
        self.assertEqual(out["rx_freq"], [(0, 2138e6)])
        # the sample 5 ms in is output sample 38400
        self.assertEqual(out["rx_time"], [(38400, (1700000000, 0.25))])
        self.assertAlmostEqual(freq_of(y[2000:], WORK_HZ), 0.0, delta=5.0)

    def test_004_new_rate_mid_stream(self):
        first = tone(100000, 10e6, 500.0)
        second = tone(76800, WORK_HZ, 500.0)
        tags = [make_tag(0, "rx_rate", 10e6), make_tag(100000, "rx_rate", WORK_HZ)]
        y, out = run(cellscan.umts_frontend(0.0), np.concatenate([first, second]), tags)
        (start0, _), (start1, rate1) = out["rx_rate"]
        self.assertEqual((start0, rate1), (0, WORK_HZ))
        # the first part, flushed, is 10 ms at 7.68 MS/s give or take the filter's reach
        self.assertAlmostEqual(start1, 76800, delta=200)
        self.assertAlmostEqual(len(y) - start1, 76800, delta=200)
        self.assertAlmostEqual(freq_of(y[start1 + 2000:], WORK_HZ), 500.0, delta=5.0)

    def test_005_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "3.84 MHz"):
            cellscan.umts_frontend(1e6)
        with self.assertRaisesRegex(ValueError, "does not fit"):
            cellscan.umts_frontend(WORK_HZ, 3e6)
        with self.assertRaisesRegex(ValueError, "use_tags"):
            cellscan.umts_frontend(0.0, 0.0, False)


if __name__ == "__main__":
    gr_unittest.run(qa_umts_frontend)
