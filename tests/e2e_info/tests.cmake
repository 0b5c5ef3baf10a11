# End-to-end tests of `cellscan info`: the real recordings of CS_SHARED_DATA (skipped when
# absent) and recordings with known content made by the script itself.
cs_add_script_test(e2e_info_shared
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_info.py shared
  LABEL e2e TIMEOUT 300)
cs_add_script_test(e2e_info_synthetic
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_info.py synthetic
  LABEL cli TIMEOUT 120)
