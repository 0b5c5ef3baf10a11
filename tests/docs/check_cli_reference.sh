#!/bin/sh
# docs/cli.md must equal what scripts/gen_cli_docs.sh makes from the program's --help texts.
set -u
fresh="$CS_BUILD_DIR/cli.md"
"$CS_SOURCE_DIR/scripts/gen_cli_docs.sh" "$CELLSCAN" "$fresh" || exit 1
if ! diff -u "$CS_SOURCE_DIR/docs/cli.md" "$fresh"; then
    echo "docs/cli.md is out of date: run scripts/gen_cli_docs.sh"
    exit 1
fi
echo "docs/cli.md matches the program"
