/* Symbol export for libcellscan: GNU Radio's compiler settings hide symbols by default. */
#ifndef CELLSCAN_EXPORT_H
#define CELLSCAN_EXPORT_H

#if defined(_WIN32)
#define CS_API __declspec(dllexport)
#else
#define CS_API __attribute__((visibility("default")))
#endif

#endif
