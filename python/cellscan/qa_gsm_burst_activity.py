#!/usr/bin/env python3
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""QA for cellscan.gsm_burst_activity: on generated traffic (timeslots 2 and 5 of a
non-C0 carrier) the two timeslots hold every burst, one per frame each, at the burst
power; a handset transmitting for a while gives that interval; periodic reports grow and
the final one comes before the flowgraph ends; samples pass through; noise gives no
bursts; bad parameters."""

import numpy as np
from gnuradio import gr_unittest

from gnuradio import cellscan
from gsm_qa_recordings import FRAME_S, GsmRecording, run_chain


def reports(x, rate_hz, **kwargs):
    act = cellscan.gsm_burst_activity(rate_hz, **kwargs)
    out, y, _ = run_chain(x, [act], act, "activity")
    return out, y, act


class qa_gsm_burst_activity(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.traffic = GsmRecording("--traffic", "30:2,5:15", "--freq", "941e6", "--rate",
                                   "1e6", "--duration", "0.3", "--seed", "7")
        cls.uplink = GsmRecording("--uplink", "30:3:0.05-0.15:15", "--freq", "896e6",
                                  "--rate", "1e6", "--duration", "0.3", "--seed", "8")

    @classmethod
    def tearDownClass(cls):
        cls.traffic.close()
        cls.uplink.close()

    def test_001_timeslots_and_bursts(self):
        x = self.traffic.samples()
        out, y, act = reports(x, self.traffic.rate_hz, report_period_s=0.1)
        np.testing.assert_array_equal(y, x)
        self.assertEqual([(r["t_end_s"], r["final"]) for r in out],
                         [(0.1, False), (0.2, False), (0.3, False), (0.3, True)])
        self.assertEqual(act.num_reports(), 4)
        final = out[-1]
        self.assertEqual(len(final["timeslots"]), 2)
        a, b = final["timeslots"]
        self.assertIn((b - a) % 8, (3, 5))  # TS 2 and 5, numbered from the grid's origin
        frames = 0.3 / FRAME_S
        for ts in (a, b):
            # every frame but the few at the start (before the grid is fitted) and the end
            self.assertGreater(final["bursts_per_ts"][ts], frames - 6)
            self.assertLessEqual(final["bursts_per_ts"][ts], frames + 1)
        self.assertEqual(final["bursts"], sum(final["bursts_per_ts"]))
        self.assertAlmostEqual(final["duty_cycle"], 0.25, delta=0.02)
        self.assertLess(final["envelope_ratio"], 0.2)  # GMSK: constant envelope
        self.assertEqual(len(final["intervals"]), 1)
        self.assertLess(final["intervals"][0][0], 0.01)
        self.assertGreater(final["intervals"][0][1], 0.29)
        # bursts 15 dB over the noise in 270.833 kHz; the noise here fills 1 MHz
        noise_270k_dbfs = final["noise_dbfs"] + 10 * np.log10(270833 / 1e6)
        self.assertAlmostEqual(final["burst_power_dbfs"] - noise_270k_dbfs, 15.0, delta=1.5)
        counts = [r["bursts"] for r in out]
        self.assertTrue(counts[0] < counts[1] < counts[2], counts)

    def test_002_uplink_interval(self):
        out, _, _ = reports(self.uplink.samples(), self.uplink.rate_hz)
        self.assertEqual(len(out), 1)
        final = out[0]
        self.assertTrue(final["final"])
        self.assertEqual(len(final["timeslots"]), 1)
        self.assertEqual(len(final["intervals"]), 1)
        t0, t1 = final["intervals"][0]
        self.assertAlmostEqual(t0, 0.05, delta=0.006)
        self.assertAlmostEqual(t1, 0.15, delta=0.006)

    def test_003_noise(self):
        rng = np.random.default_rng(2)
        x = ((rng.standard_normal(200000) + 1j * rng.standard_normal(200000)) *
             0.01).astype(np.complex64)
        out, _, _ = reports(x, 1e6, noise_dbfs=10 * np.log10(2e-4))
        self.assertEqual(out[-1]["bursts"], 0)
        self.assertEqual(out[-1]["intervals"], [])
        self.assertGreater(out[-1]["slots"], 300)

    def test_004_bad_parameters(self):
        with self.assertRaisesRegex(ValueError, "report period"):
            cellscan.gsm_burst_activity(1e6, report_period_s=-1)
        with self.assertRaisesRegex(ValueError, "gsm_burst_activity"):
            cellscan.gsm_burst_activity(10e3)


if __name__ == "__main__":
    gr_unittest.run(qa_gsm_burst_activity)
