/* -*- c++ -*- */
/*
 * umts_merge: forwards messages and finishes only when every publisher has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "umts_merge_impl.h"
#include <gnuradio/io_signature.h>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_system = pmt::mp("system");
const pmt::pmt_t k_done = pmt::mp("done");
const char* const k_ports[] = { "cells", "carrier" };
} // namespace

umts_merge::sptr umts_merge::make(unsigned num_connections)
{
    return gnuradio::make_block_sptr<umts_merge_impl>(num_connections);
}

umts_merge_impl::umts_merge_impl(unsigned num_connections)
    : gr::block("umts_merge", gr::io_signature::make(0, 0, 0), gr::io_signature::make(0, 0, 0)),
      d_connections(num_connections)
{
    if (num_connections < 1)
        throw std::invalid_argument("umts_merge: needs at least one connection");
    for (const char* name : k_ports) {
        const pmt::pmt_t port = pmt::mp(name);
        message_port_register_in(port);
        message_port_register_out(port);
        set_msg_handler(port, [this, port](const pmt::pmt_t& msg) {
            message_port_pub(port, msg);
            d_messages++;
        });
    }
    /* replaces gr::block's handler, which would end the block at the first "done" */
    set_msg_handler(k_system, [this](const pmt::pmt_t& msg) { on_system(msg); });
}

bool umts_merge_impl::start()
{
    d_done = 0; /* a flowgraph may run again */
    return true;
}

void umts_merge_impl::on_system(const pmt::pmt_t& msg)
{
    if (pmt::is_pair(msg) && pmt::eqv(pmt::car(msg), k_done) && ++d_done < d_connections)
        return;
    system_handler(msg);
}

} // namespace cellscan
} // namespace gr
