# UMTS cell search through `cellscan scan`: the real recordings (skipped without
# CS_SHARED_DATA), generated recordings (cellscan synth) for the report formats, batch
# behaviour, annotations, false alarms on noise and GSM, and multi-cell measurements.
cs_add_script_test(umts_scan_real
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/scan_real.py LABEL umts TIMEOUT 120)
cs_add_script_test(umts_scan_cli
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/scan_cli.py LABEL umts TIMEOUT 300)
cs_add_script_test(umts_scan_cells
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/scan_cells.py LABEL umts TIMEOUT 300)
# automatic carrier selection: carriers found by the sweep, and none on noise or GSM alone
cs_add_script_test(umts_scan_auto_found
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/scan_auto.py found LABEL umts TIMEOUT 300)
cs_add_script_test(umts_scan_auto_clean
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/scan_auto.py clean LABEL umts TIMEOUT 300)
