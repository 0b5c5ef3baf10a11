# docs/cli.md is generated from the program's --help texts: it must match the program.
cs_add_script_test(docs_cli_reference LABEL cli TIMEOUT 60
  COMMAND /bin/sh ${CMAKE_CURRENT_LIST_DIR}/check_cli_reference.sh)
