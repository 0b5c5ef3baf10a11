/* -*- c++ -*- */
/*
 * span_feeder: what the GSM carrier searcher and the UMTS cell searcher share. Both cut
 * their input into spans (span_s of stream, or the whole stream), hand each span to a
 * core object in the 65536-sample blocks cellscan scan reads (so a recording gives
 * bit-identical results), follow rx_rate / rx_freq tags, and publish a span's results
 * before the block reports itself done (stream_end.h). A block derives from its public
 * interface and from span_feeder and supplies only its core object through the hooks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_SPAN_FEEDER_H
#define INCLUDED_CELLSCAN_SPAN_FEEDER_H

#include <gnuradio/block.h>
#include <gnuradio/gr_complex.h>
#include <string>
#include <vector>

namespace gr {
namespace cellscan {

class span_feeder : virtual public gr::block
{
public:
    void forecast(int noutput_items, gr_vector_int& ninput_items_required) override;
    bool start() override;
    bool stop() override;
    int general_work(int noutput_items,
                     gr_vector_int& ninput_items,
                     gr_vector_const_void_star& input_items,
                     gr_vector_void_star& output_items) override;

protected:
    struct wording {
        const char* verb;      /* "scan": what the block does with a span */
        const char* verb_past; /* "scanned" */
        const char* no_target; /* "no GSM channel to scan": why a configured rate drops */
    };

    /* Checks the arguments every searcher takes (throws std::invalid_argument naming
     * the block); centre_hz 0 or not finite means unknown. */
    span_feeder(const std::string& name,
                const wording& words,
                double samp_rate_hz,
                double centre_hz,
                double span_s,
                double min_span_s,
                bool use_tags);

    /* Hooks for the block's core object. */
    /* Make the core ready for rate_hz() and centre_hz(), calling set_span_items();
     * returns "" or what went wrong (then samples are dropped until the next retune). */
    virtual std::string configure_core() = 0;
    /* The core can take the current span's samples; false: cs_last_error() says why. */
    virtual bool open_span() = 0;
    /* One read block of the current span; a CS_ status. */
    virtual int execute(const gr_complex* x, size_t n) = 0;
    /* The span [span_first(), end_item) is complete and was fed without an error. */
    virtual void publish(uint64_t end_item) = 0;
    /* The span is over (reported or not): the core forgets it. */
    virtual void close_span() = 0;

    /* For the block. */
    std::string configure(double rate_hz, double centre_hz);
    void set_span_items(uint64_t n) { d_span_items = n; }
    double rate_hz() const { return d_rate_hz; }
    double centre_hz() const { return d_centre_hz; }
    double span_s() const { return d_span_s; }
    uint64_t span_items() const { return d_span_items; }
    uint64_t span_first() const { return d_span_first; }
    uint64_t span_fed() const { return d_span_fed; }
    double origin_s() const { return d_origin_s; }
    uint64_t origin_item() const { return d_origin_item; }
    double time_s(uint64_t item) const;

private:
    const wording d_words;
    const double d_span_s;
    const bool d_use_tags;
    double d_rate_hz = 0.0;  // 0: unknown until an rx_rate tag
    double d_centre_hz;      // NAN: unknown
    bool d_configured = false; // configure_core() accepted d_rate_hz and d_centre_hz

    uint64_t d_span_items = 0; // input samples per span at the current rate (0: unlimited)
    uint64_t d_span_first = 0; // stream item of the span's first sample
    uint64_t d_span_fed = 0;   // samples of the span taken (fed or in d_chunk)
    bool d_span_failed = false; // the core refused a block: the span is not reported
    std::vector<gr_complex> d_chunk; // the next block for the core
    size_t d_chunk_fill = 0;
    /* Stream time: t(item) = d_origin_s + (item - d_origin_item) / rate. */
    double d_origin_s = 0.0;
    uint64_t d_origin_item = 0;
    uint64_t d_dropped = 0;
    bool d_finished = false; // the end of the stream was handled

    void retune(double rate_hz, double centre_hz, uint64_t item);
    void consume(const gr_complex* x, size_t n, uint64_t first_item);
    void feed_chunk();
    void finish_span(uint64_t end_item);
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_SPAN_FEEDER_H */
