/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_MERGE_IMPL_H
#define INCLUDED_CELLSCAN_UMTS_MERGE_IMPL_H

#include <gnuradio/cellscan/umts_merge.h>
#include <atomic>

namespace gr {
namespace cellscan {

class umts_merge_impl : public umts_merge
{
private:
    const unsigned d_connections;
    unsigned d_done = 0; /* "done"s received (handled in this block's thread only) */
    std::atomic<uint64_t> d_messages{ 0 };

    void on_system(const pmt::pmt_t& msg);

public:
    explicit umts_merge_impl(unsigned num_connections);

    uint64_t num_messages() const override { return d_messages; }
    bool start() override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_MERGE_IMPL_H */
