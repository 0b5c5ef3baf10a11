#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.sigmf_source: samples equal the file's, UHD-style tags at the first
sample, capture boundaries and repeats, raw files, and clear errors for bad files."""

import calendar
import json
import os
import tempfile

import numpy as np
import pmt
from gnuradio import blocks, gr, gr_unittest

from gnuradio import cellscan


def write_sigmf(basename, datatype, frames, rate_hz, captures, num_channels=1):
    """A SigMF pair written with numpy + json. frames: complex array (n,) or (n, channels),
    full scale 1.0; stored as datatype ("cf32_le" or "ci16_le")."""
    frames = np.asarray(frames, dtype=np.complex64).reshape(len(frames), num_channels)
    if datatype == "cf32_le":
        raw = frames.astype("<c8").tobytes()
    elif datatype == "ci16_le":
        iq = np.empty((len(frames), num_channels, 2), dtype="<i2")
        iq[..., 0] = np.round(frames.real * 32768)
        iq[..., 1] = np.round(frames.imag * 32768)
        raw = iq.tobytes()
    else:
        raise ValueError(datatype)
    with open(basename + ".sigmf-data", "wb") as f:
        f.write(raw)
    meta = {
        "global": {"core:datatype": datatype, "core:sample_rate": rate_hz,
                   "core:version": "1.2.0", "core:num_channels": num_channels},
        "captures": captures,
        "annotations": [],
    }
    with open(basename + ".sigmf-meta", "w") as f:
        json.dump(meta, f)
    return basename + ".sigmf-meta"


def tags_by_key(sink, key):
    """{offset: value} of one tag key on a vector sink."""
    return {t.offset: t.value for t in sink.tags() if pmt.symbol_to_string(t.key) == key}


def rx_time(value):
    return pmt.to_uint64(pmt.tuple_ref(value, 0)), pmt.to_double(pmt.tuple_ref(value, 1))


class qa_sigmf_source(gr_unittest.TestCase):

    def setUp(self):
        self.tb = gr.top_block()
        self.dir = tempfile.TemporaryDirectory()
        rng = np.random.default_rng(1)
        self.x = (rng.standard_normal(5000) + 1j * rng.standard_normal(5000)).astype(
            np.complex64) * 0.1

    def tearDown(self):
        self.tb = None
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def run_source(self, src, n_outputs=1, head=None):
        sinks = [blocks.vector_sink_c() for _ in range(n_outputs)]
        for i, sink in enumerate(sinks):
            if head is None:
                self.tb.connect((src, i), sink)
            else:
                h = blocks.head(gr.sizeof_gr_complex, head)
                self.tb.connect((src, i), h, sink)
        self.tb.run()
        return sinks

    def test_001_built_module_and_docstrings(self):
        build_dir = os.environ.get("CS_BUILD_DIR")
        if build_dir:  # under ctest: must test the build tree, not an installed copy
            self.assertTrue(os.path.realpath(cellscan.__file__).startswith(
                os.path.realpath(build_dir)), cellscan.__file__)
        self.assertIn("rx_time", cellscan.sigmf_source.__doc__)
        self.assertIn("raw_format", cellscan.sigmf_source.__init__.__doc__)

    def test_002_samples_and_capture_tags(self):
        captures = [
            {"core:sample_start": 0, "core:frequency": 941.0e6,
             "core:datetime": "2024-05-06T07:08:09.25Z"},
            {"core:sample_start": 3000, "core:frequency": 947.4e6,
             "core:datetime": "2024-05-06T07:08:10.5Z"},
        ]
        meta = write_sigmf(self.path("two"), "cf32_le", self.x, 1e6, captures)
        src = cellscan.sigmf_source(meta)
        self.assertEqual((src.num_channels(), src.num_samples()), (1, 5000))
        self.assertEqual(src.sample_rate_hz(), 1e6)
        self.assertEqual(src.centre_freq_hz(), 941.0e6)
        (sink,) = self.run_source(src)
        self.assertComplexTuplesAlmostEqual(sink.data(), self.x, 7)

        t0 = calendar.timegm((2024, 5, 6, 7, 8, 9))
        times = tags_by_key(sink, "rx_time")
        self.assertEqual(sorted(times), [0, 3000])
        self.assertEqual(rx_time(times[0])[0], t0)
        self.assertAlmostEqual(rx_time(times[0])[1], 0.25)
        self.assertEqual(rx_time(times[3000]), (t0 + 1, 0.5))
        freqs = tags_by_key(sink, "rx_freq")
        self.assertEqual({k: pmt.to_double(v) for k, v in freqs.items()},
                         {0: 941.0e6, 3000: 947.4e6})
        rates = tags_by_key(sink, "rx_rate")
        self.assertEqual({k: pmt.to_double(v) for k, v in rates.items()}, {0: 1e6, 3000: 1e6})

    def test_003_time_without_datetime_counts_from_zero(self):
        captures = [{"core:sample_start": 0}, {"core:sample_start": 2500}]
        meta = write_sigmf(self.path("nodt"), "cf32_le", self.x, 2e6, captures)
        (sink,) = self.run_source(cellscan.sigmf_source(meta))
        times = tags_by_key(sink, "rx_time")
        self.assertEqual(rx_time(times[0]), (0, 0.0))
        self.assertEqual(rx_time(times[2500]), (0, 2500 / 2e6))
        self.assertEqual(tags_by_key(sink, "rx_freq"), {}, "no rx_freq without a frequency")

    def test_004_multichannel_ci16(self):
        frames = np.stack([self.x[:2000], 0.5 * self.x[2000:4000]], axis=1)
        meta = write_sigmf(self.path("two_ch"), "ci16_le", frames, 1e6,
                           [{"core:sample_start": 0, "core:frequency": 1.8e9}], 2)
        src = cellscan.sigmf_source(meta)
        self.assertEqual(src.num_channels(), 2)
        sinks = self.run_source(src, n_outputs=2)
        for ch, sink in enumerate(sinks):
            expected = np.round(frames[:, ch].real * 32768) / 32768 + \
                1j * np.round(frames[:, ch].imag * 32768) / 32768
            self.assertComplexTuplesAlmostEqual(sink.data(), expected, 6)
            self.assertEqual(list(tags_by_key(sink, "rx_freq")), [0])

    def test_005_repeat_wraps_and_retags(self):
        meta = write_sigmf(self.path("rep"), "cf32_le", self.x[:1000], 1e6,
                           [{"core:sample_start": 0, "core:frequency": 935.2e6}])
        (sink,) = self.run_source(cellscan.sigmf_source(meta, repeat=True), head=2500)
        self.assertComplexTuplesAlmostEqual(
            sink.data(), np.concatenate([self.x[:1000]] * 3)[:2500], 7)
        self.assertEqual(sorted(tags_by_key(sink, "rx_time")), [0, 1000, 2000])
        self.assertEqual(sorted(tags_by_key(sink, "rx_freq")), [0, 1000, 2000])

    def test_006_raw_file(self):
        path = self.path("capture.cfile")
        self.x.astype("<c8").tofile(path)
        src = cellscan.sigmf_source(path, False, "cf32", 2.5e6, 1842.6e6)
        (sink,) = self.run_source(src)
        self.assertComplexTuplesAlmostEqual(sink.data(), self.x, 7)
        self.assertEqual(pmt.to_double(tags_by_key(sink, "rx_rate")[0]), 2.5e6)
        self.assertEqual(pmt.to_double(tags_by_key(sink, "rx_freq")[0]), 1842.6e6)

    def test_007_raw_file_unknown_centre_has_no_rx_freq(self):
        path = self.path("capture.cu8")
        np.full(400, 128, dtype=np.uint8).tofile(path)
        (sink,) = self.run_source(cellscan.sigmf_source(path, False, "cu8", 1e6, 0.0))
        self.assertEqual(len(sink.data()), 200)
        self.assertEqual(tags_by_key(sink, "rx_freq"), {})

    def test_008_bad_files_throw_naming_the_file(self):
        missing = self.path("missing.sigmf-meta")
        with self.assertRaises(RuntimeError) as ctx:
            cellscan.sigmf_source(missing)
        self.assertIn("missing.sigmf-meta", str(ctx.exception))

        broken = self.path("broken.sigmf-meta")
        with open(broken, "w") as f:
            f.write('{"global": {"core:datatype": ')
        with open(self.path("broken.sigmf-data"), "wb") as f:
            f.write(b"\0" * 8)
        with self.assertRaises(RuntimeError) as ctx:
            cellscan.sigmf_source(broken)
        self.assertIn("broken.sigmf-meta", str(ctx.exception))
        self.assertEqual(len(str(ctx.exception).splitlines()), 1)

        with self.assertRaises(RuntimeError) as ctx:
            cellscan.sigmf_source(self.path("x.cfile"), False, "cf99", 1e6)
        self.assertIn("cf99", str(ctx.exception))

    def test_009_more_outputs_than_channels_is_refused(self):
        meta = write_sigmf(self.path("one"), "cf32_le", self.x[:100], 1e6,
                           [{"core:sample_start": 0}])
        src = cellscan.sigmf_source(meta)
        self.tb.connect((src, 0), blocks.null_sink(gr.sizeof_gr_complex))
        self.tb.connect((src, 1), blocks.null_sink(gr.sizeof_gr_complex))
        with self.assertRaises(RuntimeError):
            self.tb.run()


if __name__ == "__main__":
    gr_unittest.run(qa_sigmf_source)
