/*
 * Copyright 2026 Free Software Foundation, Inc.
 *
 * This file is part of GNU Radio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 */
#include "pydoc_macros.h"
#define D(...) DOC(gr, cellscan, __VA_ARGS__)
/*
  This file contains placeholders for docstrings for the Python bindings.
  Do not edit! These were automatically extracted during the binding process
  and will be overwritten during the build process
 */

static const char *__doc_gr_cellscan_synth_source = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_synth_source_0 = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_synth_source_1 = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_make = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_num_channels = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_sample_rate_hz = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_centre_freq_hz = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_num_samples = R"doc()doc";

static const char *__doc_gr_cellscan_synth_source_truth_json = R"doc()doc";
