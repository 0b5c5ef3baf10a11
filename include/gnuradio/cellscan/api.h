/* -*- c++ -*- */
/*
 * Symbol export for the gnuradio-cellscan block library (gr_modtool convention).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_API_H
#define INCLUDED_CELLSCAN_API_H

#include <gnuradio/attributes.h>

#ifdef gnuradio_cellscan_EXPORTS
#define CELLSCAN_API __GR_ATTR_EXPORT
#else
#define CELLSCAN_API __GR_ATTR_IMPORT
#endif

#endif /* INCLUDED_CELLSCAN_API_H */
