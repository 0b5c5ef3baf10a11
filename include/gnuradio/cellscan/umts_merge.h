/* -*- c++ -*- */
/*
 * Public interface of the message merge used by the UMTS scanner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_MERGE_H
#define INCLUDED_CELLSCAN_UMTS_MERGE_H

#include <gnuradio/block.h>
#include <gnuradio/cellscan/api.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/*!
 * \brief Passes the messages of several UMTS cell searchers on, as one publisher.
 * \ingroup cellscan
 *
 * \details
 * Forwards every message of its input ports "cells" and "carrier" to the output ports of
 * the same names, unchanged and in the order received. GNU Radio ends a block that has
 * only message ports at the first "done" from any of its publishers, so a sink fed by
 * several searchers may stop before the last one has published; this block ends only
 * after num_connections "done"s (one per message connection into it: a searcher connected
 * on both ports counts twice), so everything reaches the sinks after it. The UMTS Scanner
 * puts one between its searchers and its outputs.
 */
class CELLSCAN_API umts_merge : virtual public gr::block
{
public:
    typedef std::shared_ptr<umts_merge> sptr;

    /*!
     * \brief Create the block.
     *
     * \param num_connections message connections into the block (at least 1).
     */
    static sptr make(unsigned num_connections);

    /*! \brief Messages forwarded so far. */
    virtual uint64_t num_messages() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_MERGE_H */
