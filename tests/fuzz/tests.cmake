# Fuzz targets for the recording reader (docs/fuzzing.md). Included from tests/CMakeLists.txt.
#  ENABLE_FUZZ=ON (clang): libFuzzer binaries; tests <target>_short fuzz for 30 s each on a
#                          copy of the seed corpus in the build directory.
#  otherwise:              the same targets linked to replay_main.c; they only replay the
#                          seed corpus (which holds the regression inputs of past crashes).
# Both register <target>_corpus, which runs every seed once. Label: fuzz.
set(CS_FUZZ_SRC ${CMAKE_CURRENT_LIST_DIR})
set(CS_FUZZ_BIN ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
set(CS_FUZZ_TARGETS fuzz_sigmf_meta fuzz_raw_reader)
# libFuzzer's own exit code for a finding is 77, which ctest would take for "skipped".
set(CS_FUZZ_EXIT_FLAGS -error_exitcode=1 -timeout_exitcode=1)
# Dictionaries of tokens the mutator splices in (JSON keys and values of SigMF).
set(CS_FUZZ_DICT_fuzz_sigmf_meta ${CS_FUZZ_SRC}/sigmf.dict)

foreach(target ${CS_FUZZ_TARGETS})
  if(ENABLE_FUZZ)
    add_executable(${target} ${CS_FUZZ_SRC}/${target}.c)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${target} ${CS_FUZZ_SRC}/${target}.c ${CS_FUZZ_SRC}/replay_main.c)
  endif()
  target_compile_definitions(${target} PRIVATE _GNU_SOURCE)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  target_include_directories(${target} PRIVATE ${CS_FUZZ_SRC})
  target_link_libraries(${target} PRIVATE cellscan_static)
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CS_FUZZ_BIN})

  set(corpus ${CS_FUZZ_SRC}/corpus/${target})
  set(replay_flags "")
  if(ENABLE_FUZZ)
    set(replay_flags ${CS_FUZZ_EXIT_FLAGS} -runs=0 -rss_limit_mb=2048 -timeout=20)
  endif()
  cs_add_script_test(${target}_corpus
    COMMAND $<TARGET_FILE:${target}> ${replay_flags} ${corpus} LABEL fuzz TIMEOUT 300)

  if(ENABLE_FUZZ)
    # New inputs go to the build-directory copy; the sources keep the curated seeds only.
    file(GLOB seeds CONFIGURE_DEPENDS ${corpus}/*)
    file(COPY ${corpus} DESTINATION ${CS_FUZZ_BIN}/corpus)
    file(MAKE_DIRECTORY ${CS_FUZZ_BIN}/artifacts)
    set(dict_flag "")
    if(DEFINED CS_FUZZ_DICT_${target})
      set(dict_flag -dict=${CS_FUZZ_DICT_${target}})
    endif()
    cs_add_script_test(${target}_short
      COMMAND $<TARGET_FILE:${target}> ${CS_FUZZ_EXIT_FLAGS} -max_total_time=30
              -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 ${dict_flag}
              -artifact_prefix=${CS_FUZZ_BIN}/artifacts/${target}-
              ${CS_FUZZ_BIN}/corpus/${target}
      LABEL fuzz TIMEOUT 180)
  endif()
endforeach()
