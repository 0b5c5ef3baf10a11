# GNU Radio module tests (label "gnuradio"): the blocks' Python QA, the GRC files loaded by
# GRC itself, and the example flowgraph compiled with grcc and run headless. All import
# gnuradio.cellscan from the build tree (PYTHONPATH), so nothing needs installing.
if(TARGET cellscan_python)
  set(cs_gr_env "PYTHONPATH=${CELLSCAN_GR_PYTHONPATH}"
                "GRC_BLOCKS_PATH=${PROJECT_SOURCE_DIR}/grc")
  set(cs_gr_dir ${CMAKE_CURRENT_LIST_DIR})

  foreach(block sigmf_source synth_source channel_power power_jsonl_sink)
    cs_add_script_test(gr_qa_${block}
      COMMAND ${PYTHON_EXECUTABLE} ${PROJECT_SOURCE_DIR}/python/cellscan/qa_${block}.py
      LABEL gnuradio TIMEOUT 120)
  endforeach()
  cs_add_script_test(gr_grc_blocks
    COMMAND ${PYTHON_EXECUTABLE} ${cs_gr_dir}/check_grc_blocks.py LABEL gnuradio TIMEOUT 120)
  cs_add_script_test(gr_example_scan_generated
    COMMAND ${PYTHON_EXECUTABLE} ${cs_gr_dir}/run_example.py generated
    LABEL gnuradio TIMEOUT 300)
  cs_add_script_test(gr_example_scan_shared
    COMMAND ${PYTHON_EXECUTABLE} ${cs_gr_dir}/run_example.py shared
    LABEL gnuradio TIMEOUT 300)

  foreach(test gr_qa_sigmf_source gr_qa_synth_source gr_qa_channel_power gr_qa_power_jsonl_sink gr_grc_blocks
               gr_example_scan_generated gr_example_scan_shared)
    set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT ${cs_gr_env})
  endforeach()

  # UMTS and GSM blocks: QA per block, the example flowgraphs, and the CLI/flowgraph
  # consistency on the real recordings (skipped without them) and on a generated one.
  set(cs_gr_umts_blocks umts_cell_searcher umts_merge umts_scanner umts_frontend
                        umts_psch_sync umts_cpich_meas)
  set(cs_gr_gsm_blocks gsm_fcch_detector gsm_sch_decoder gsm_burst_activity gsm_scanner)
  foreach(std umts gsm)
    set(cs_gr_std_tests gr_${std}_examples)
    foreach(block ${cs_gr_${std}_blocks})
      cs_add_script_test(gr_qa_${block}
        COMMAND ${PYTHON_EXECUTABLE} ${PROJECT_SOURCE_DIR}/python/cellscan/qa_${block}.py
        LABEL gnuradio TIMEOUT 300)
      list(APPEND cs_gr_std_tests gr_qa_${block})
    endforeach()
    cs_add_script_test(gr_${std}_examples
      COMMAND ${PYTHON_EXECUTABLE} ${cs_gr_dir}/${std}_examples.py LABEL gnuradio TIMEOUT 300)
    foreach(mode shared generated)
      cs_add_script_test(gr_${std}_consistency_${mode}
        COMMAND ${PYTHON_EXECUTABLE} ${cs_gr_dir}/${std}_consistency.py ${mode}
        LABEL gnuradio TIMEOUT 300)
      list(APPEND cs_gr_std_tests gr_${std}_consistency_${mode})
    endforeach()
    foreach(test ${cs_gr_std_tests})
      set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT ${cs_gr_env})
    endforeach()
  endforeach()
endif()
