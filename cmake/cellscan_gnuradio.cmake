# The GNU Radio module: block library, Python package `gnuradio.cellscan`, GRC block files.
# Included by the top-level CMakeLists.txt once find_package(Gnuradio 3.10) has succeeded.
#
# Build tree: ${CELLSCAN_GR_PYTHONPATH}/gnuradio/cellscan holds the package (sources and the
# pybind11 module), so `PYTHONPATH=${CELLSCAN_GR_PYTHONPATH} python3 -c "from gnuradio import
# cellscan"` works without installing (gnuradio/__init__.py extends its __path__ over
# PYTHONPATH). The tests in tests/gnuradio use exactly that.

# GnuradioConfig pulled in GrPython with Debian's /usr/bin/python3: GR_PYTHON_DIR, numpy.
if(NOT PYTHONINTERP_FOUND OR NOT Python_NumPy_INCLUDE_DIR)
  message(WARNING "GNU Radio found but its Python (${PYTHON_EXECUTABLE}) or numpy is "
                  "missing: building the core library and CLI only")
  set(ENABLE_GNURADIO OFF)
  return()
endif()
# The top level found Python3 (Interpreter), which puts pybind11 in its FindPython mode: that
# mode needs the Development.Module component too.
find_package(Python3 COMPONENTS Interpreter Development.Module)
if(NOT Python3_Development.Module_FOUND)
  message(WARNING "Python development files not found (apt-get install python3-dev): "
                  "building the core library and CLI only")
  set(ENABLE_GNURADIO OFF)
  return()
endif()
find_package(pybind11 CONFIG)
if(NOT pybind11_FOUND)
  message(WARNING "pybind11 not found (apt-get install pybind11-dev): building the core "
                  "library and CLI only")
  set(ENABLE_GNURADIO OFF)
  return()
endif()

set(CELLSCAN_GR_PYTHONPATH ${PROJECT_BINARY_DIR}/python)
set(CELLSCAN_GR_PACKAGE_DIR ${CELLSCAN_GR_PYTHONPATH}/gnuradio/cellscan)
set(CELLSCAN_GRC_BLOCKS_DIR ${CMAKE_INSTALL_DATADIR}/gnuradio/grc/blocks)

add_subdirectory(${PROJECT_SOURCE_DIR}/include/gnuradio/cellscan
                 ${PROJECT_BINARY_DIR}/include/gnuradio/cellscan)
add_subdirectory(${PROJECT_SOURCE_DIR}/lib ${PROJECT_BINARY_DIR}/lib)
add_subdirectory(${PROJECT_SOURCE_DIR}/python/cellscan ${PROJECT_BINARY_DIR}/python/cellscan)
add_subdirectory(${PROJECT_SOURCE_DIR}/grc ${PROJECT_BINARY_DIR}/grc)
message(STATUS "GNU Radio module: Python package staged in ${CELLSCAN_GR_PACKAGE_DIR}, "
               "installed to ${CMAKE_INSTALL_PREFIX}/${GR_PYTHON_DIR}/gnuradio/cellscan")
