# `cellscan spectrum`: formats, numbering and errors on recordings the script makes (cli),
# and the real recordings of CS_SHARED_DATA against truth.json (e2e; skipped when absent).
cs_add_script_test(spectrum_cli
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/spectrum_cli.py
  LABEL cli TIMEOUT 120)
cs_add_script_test(spectrum_e2e
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/spectrum_e2e.py
  LABEL e2e TIMEOUT 300)
