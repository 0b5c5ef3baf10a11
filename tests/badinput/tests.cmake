# Bad inputs to `cellscan info`: one ctest test per case (badinput_<case>), each checking the
# one-line "cellscan: PATH: problem" error, exit status 1, empty stdout and no file left
# behind. The cases are defined in badinput.py; badinput_registered keeps the lists equal.
set(CS_BADINPUT_CASES
  missing_meta missing_data invalid_json duplicate_key empty_meta toplevel_not_object
  missing_global missing_datatype missing_sample_rate datatype_not_string unknown_datatype
  real_datatype rate_negative rate_zero rate_huge rate_string rate_overflow version_unsupported
  num_channels_zero num_channels_huge metadata_only dataset_outside_dir size_not_multiple
  size_not_multiple_channels empty_data header_bytes_beyond_file captures_not_array
  captures_unordered capture_beyond_data annotation_beyond_data sample_start_negative
  sample_start_fraction sample_start_huge annotation_no_start annotation_one_edge
  frequency_huge bad_datetime bad_geolocation meta_is_directory data_is_directory data_is_fifo
  meta_symlink_loop meta_unreadable sigmf_archive raw_without_rate raw_size_not_multiple
  raw_empty)

foreach(c ${CS_BADINPUT_CASES})
  cs_add_script_test(badinput_${c}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/badinput.py ${c}
    LABEL badinput TIMEOUT 90)
endforeach()

cs_add_script_test(badinput_registered
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/badinput.py --check-list ${CS_BADINPUT_CASES}
  LABEL badinput TIMEOUT 30)
