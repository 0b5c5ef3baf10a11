# `cellscan scan` for GSM: the real recordings of CS_SHARED_DATA against truth.json (e2e,
# skipped when absent) and generated recordings with known truth (cellscan synth): carriers,
# BSIC, frame numbers, frequency and receiver errors, activity, robustness single cases,
# false alarms on noise, bad input. Curves and long runs are benchmarks (bench/gsm_*).
cs_add_script_test(gsm_scan_real
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/gsm_scan_real.py
  LABEL e2e TIMEOUT 300)
cs_add_script_test(gsm_scan_synth
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/gsm_scan_synth.py
  LABEL e2e TIMEOUT 600)
