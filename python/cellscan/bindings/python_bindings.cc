/*
 * The pybind11 module gnuradio.cellscan.cellscan_python (gr_modtool layout: one
 * bind_NAME per block, generated into NAME_python.cc by `gr_modtool bind NAME`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <pybind11/pybind11.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

namespace py = pybind11;

// Headers for binding functions
/**************************************/
// The following comment block is used for
// gr_modtool to insert function prototypes
// Please do not delete
/**************************************/
// BINDING_FUNCTION_PROTOTYPES(
void bind_channel_power(py::module& m);
void bind_gsm_burst_activity(py::module& m);
void bind_gsm_carrier_searcher(py::module& m);
void bind_gsm_fcch_detector(py::module& m);
void bind_gsm_sch_decoder(py::module& m);
void bind_sigmf_source(py::module& m);
void bind_synth_source(py::module& m);
void bind_umts_cell_searcher(py::module& m);
void bind_umts_cpich_meas(py::module& m);
void bind_umts_frontend(py::module& m);
void bind_umts_merge(py::module& m);
void bind_umts_psch_sync(py::module& m);
// ) END BINDING_FUNCTION_PROTOTYPES

// import_array() is a macro that returns NULL on failure, so it needs a function of its own.
void* init_numpy()
{
    import_array();
    return NULL;
}

PYBIND11_MODULE(cellscan_python, m)
{
    // The numpy C API must be initialised before any binding uses it.
    init_numpy();

    // Base classes (gr::sync_block, ...) come from gnuradio.gr.
    py::module::import("gnuradio.gr");

    /**************************************/
    // The following comment block is used for
    // gr_modtool to insert binding function calls
    // Please do not delete
    /**************************************/
    // BINDING_FUNCTION_CALLS(
    bind_channel_power(m);
    bind_gsm_burst_activity(m);
    bind_gsm_carrier_searcher(m);
    bind_gsm_fcch_detector(m);
    bind_gsm_sch_decoder(m);
    bind_sigmf_source(m);
    bind_synth_source(m);
    bind_umts_cell_searcher(m);
    bind_umts_cpich_meas(m);
    bind_umts_frontend(m);
    bind_umts_merge(m);
    bind_umts_psch_sync(m);
    // ) END BINDING_FUNCTION_CALLS
}
