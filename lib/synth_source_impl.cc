/* -*- c++ -*- */
/*
 * synth_source: owns a cs_synth generator (libcellscan) and streams its frames, one output
 * per receiver channel, with UHD-style start tags and the truth document as a tag.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "synth_source_impl.h"
#include "rx_time.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <cellscan/synth_stream.h>
#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
/* Frames generated per call for an array: bounds the interleave buffer. */
constexpr size_t max_array_frames = 8192;

/* Scenario text is JSON when its first non-blank character opens an object. */
bool is_json_text(const std::string& s)
{
    const size_t i = s.find_first_not_of(" \t\r\n");
    return i != std::string::npos && s[i] == '{';
}

/* The core's last message, naming the scenario when the core did not. */
std::string core_error(const std::string& what, int status)
{
    std::string msg = cs_last_error();
    if (msg.empty())
        msg = cs_strerror(status);
    if (msg.find(what) == std::string::npos)
        msg = what + ": " + msg;
    return msg;
}
} // namespace

synth_source::sptr synth_source::make(const std::string& scenario,
                                      double sample_rate_hz,
                                      double centre_freq_hz,
                                      int64_t seed,
                                      double duration_s)
{
    return gnuradio::make_block_sptr<synth_source_impl>(
        scenario, sample_rate_hz, centre_freq_hz, seed, duration_s);
}

synth_source_impl::synth_source_impl(const std::string& scenario,
                                     double sample_rate_hz,
                                     double centre_freq_hz,
                                     int64_t seed,
                                     double duration_s)
    : gr::sync_block("synth_source",
                     gr::io_signature::make(0, 0, 0),
                     gr::io_signature::make(1, -1, sizeof(gr_complex)))
{
    const bool json_text = is_json_text(scenario);
    const std::string what = json_text ? "scenario text" : scenario;
    auto fail = [this](const std::string& msg) {
        release();
        throw std::runtime_error("synth_source: " + msg);
    };
    /* The same ranges as `cellscan synth --rate/--freq/--seed/--duration`. */
    if (scenario.empty())
        fail("no scenario: give a scenario file (JSON or YAML) or JSON text");
    if (sample_rate_hz != 0.0 && !(sample_rate_hz >= 1e3 && sample_rate_hz <= 1e10))
        fail("sample_rate_hz " + std::to_string(sample_rate_hz) +
             " is neither 0 (the scenario's) nor within 1e3..1e10 Hz");
    if (!(centre_freq_hz >= 0.0 && centre_freq_hz <= 1e11))
        fail("centre_freq_hz " + std::to_string(centre_freq_hz) +
             " is neither 0 (the scenario's) nor within 0..1e11 Hz");
    if (seed < -1)
        fail("seed " + std::to_string(seed) + " is neither -1 (the scenario's) nor >= 0");
    if (duration_s != -1.0 && duration_s != 0.0 && !(duration_s >= 1e-4 && duration_s <= 1e5))
        fail("duration_s " + std::to_string(duration_s) +
             " is neither 0 (endless), -1 (the scenario's) nor within 1e-4..1e5 s");

    cs_clear_error();
    int rc = cs_synth_scenario_create(&d_scenario);
    if (rc == CS_OK)
        rc = json_text ? cs_synth_scenario_load_json(d_scenario, scenario.c_str(), what.c_str())
                       : cs_synth_scenario_load(d_scenario, scenario.c_str());
    if (rc != CS_OK)
        fail(core_error(what, rc));
    /* Overrides replace the scenario's fields before it is resolved, as the CLI does. */
    if (sample_rate_hz > 0.0)
        d_scenario->sample_rate_hz = sample_rate_hz;
    if (centre_freq_hz > 0.0)
        d_scenario->centre_freq_hz = centre_freq_hz;
    if (seed >= 0)
        d_scenario->seed = static_cast<uint64_t>(seed);
    if (duration_s > 0.0)
        d_scenario->duration_s = duration_s;
    const bool endless = duration_s == 0.0;

    char* truth = cs_synth_stream_truth_json(d_scenario, endless); // resolves the scenario
    if (!truth)
        fail(core_error(what, CS_EINVAL));
    d_truth = truth;
    std::free(truth);
    if ((rc = cs_synth_create(d_scenario, &d_synth)) != CS_OK)
        fail(core_error(what, rc));
    d_channels = cs_synth_num_channels(d_synth);
    d_total = endless ? 0 : d_scenario->num_samples;
    d_logger->trace("{}: {} channel(s) at {} Hz, centre {} Hz, seed {}, {} samples",
                    what,
                    d_channels,
                    d_scenario->sample_rate_hz,
                    d_scenario->centre_freq_hz,
                    d_scenario->seed,
                    endless ? std::string("endless") : std::to_string(d_total));
}

void synth_source_impl::release()
{
    cs_synth_destroy(d_synth);
    cs_synth_scenario_destroy(d_scenario);
    d_synth = nullptr;
    d_scenario = nullptr;
}

synth_source_impl::~synth_source_impl() { release(); }

bool synth_source_impl::check_topology(int, int noutputs)
{
    if (static_cast<unsigned>(noutputs) > d_channels) {
        d_logger->error("{} outputs connected but the scenario has {} receiver channel(s)",
                        noutputs,
                        d_channels);
        return false;
    }
    return true;
}

void synth_source_impl::tag_start(size_t n_outputs)
{
    const pmt::pmt_t src = pmt::mp(alias());
    const pmt::pmt_t time = rx_time().to_pmt();
    const pmt::pmt_t rate = pmt::from_double(d_scenario->sample_rate_hz);
    const pmt::pmt_t freq = pmt::from_double(d_scenario->centre_freq_hz);
    const pmt::pmt_t truth = pmt::string_to_symbol(d_truth);
    for (size_t out = 0; out < n_outputs; out++) {
        add_item_tag(out, 0, pmt::mp("rx_time"), time, src);
        add_item_tag(out, 0, pmt::mp("rx_rate"), rate, src);
        add_item_tag(out, 0, pmt::mp("rx_freq"), freq, src);
        add_item_tag(out, 0, pmt::mp("truth"), truth, src);
    }
}

int synth_source_impl::work(int noutput_items,
                            gr_vector_const_void_star&,
                            gr_vector_void_star& output_items)
{
    const uint64_t written = nitems_written(0);
    size_t n = static_cast<size_t>(noutput_items);
    if (d_total > 0) {
        if (written >= d_total)
            return WORK_DONE;
        n = static_cast<size_t>(std::min<uint64_t>(n, d_total - written));
    }
    const size_t n_outputs = output_items.size();
    if (written == 0)
        tag_start(n_outputs);

    auto out0 = static_cast<gr_complex*>(output_items[0]);
    int rc;
    if (d_channels == 1) {
        rc = cs_synth_generate(d_synth, out0, n);
    } else {
        /* Every channel is generated (the generator's state spans them all); the
         * unconnected ones are dropped. */
        n = std::min(n, max_array_frames);
        d_frames.resize(n * d_channels);
        rc = cs_synth_generate(d_synth, d_frames.data(), n);
        for (size_t ch = 0; rc == CS_OK && ch < n_outputs; ch++) {
            auto out = static_cast<gr_complex*>(output_items[ch]);
            for (size_t k = 0; k < n; k++)
                out[k] = d_frames[k * d_channels + ch];
        }
    }
    if (rc != CS_OK) {
        d_logger->error("{}", cs_last_error());
        return WORK_DONE;
    }
    return static_cast<int>(n);
}

} // namespace cellscan
} // namespace gr
