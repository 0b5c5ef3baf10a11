/* -*- c++ -*- */
/*
 * The end of a block's input stream, seen from general_work: a block that must publish
 * its last results before it reports itself done (a message sent from stop() can reach a
 * sink that has already shut down) holds input back until its upstream is done, and then
 * sees the end of the stream while it still runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_STREAM_END_H
#define INCLUDED_CELLSCAN_STREAM_END_H

#include <gnuradio/block.h>
#include <gnuradio/block_detail.h>
#include <gnuradio/buffer_reader.h>

namespace gr {
namespace cellscan {

/* The upstream block of input 0 is done. */
inline bool upstream_finished(const gr::block& b)
{
    const auto reader = b.detail()->input(0);
    gr::thread::scoped_lock guard(*reader->mutex());
    return reader->done();
}

/* The upstream block of input 0 is done and every sample it wrote is among the
 * `available` ones. */
inline bool upstream_done(const gr::block& b, int available)
{
    const auto reader = b.detail()->input(0);
    gr::thread::scoped_lock guard(*reader->mutex());
    return reader->done() && reader->items_available() == available;
}

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_STREAM_END_H */
