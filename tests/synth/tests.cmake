# `cellscan synth`: measured SNR, Ec/Io, frequency and clock errors of generated files against
# the request (independent estimators in synthlib.py), the command line's errors and
# reproducibility, and Debian's gr-gsm decoding a generated C0 (skipped without gr-gsm).
foreach(t cli umts_ecio gsm_snr cfo_ppm impairments array motion)
  cs_add_script_test(synth_${t}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_${t}.py
    LABEL synth TIMEOUT 300)
endforeach()
cs_add_script_test(synth_grgsm
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_grgsm.py
  LABEL peer TIMEOUT 600)
