#!/usr/bin/env python3
"""Write the docstring headers NAME_pydoc.h the bindings include, from the Doxygen comments
of the block headers.

`gr_modtool bind NAME` writes docstrings/NAME_pydoc_template.h with one empty
`__doc_gr_cellscan_...` string per documented name. GNU Radio fills them from Doxygen XML;
this module has no Doxygen step, so this script reads each `/*! ... */` comment of
include/gnuradio/cellscan/NAME.h and puts its text into the matching string: the comment
before the class documents the class, the one before a member function documents that
member. The header stays the one place where a block is documented, and re-running
`gr_modtool bind` loses nothing.

Usage: pydoc_from_headers.py --headers DIR --templates DIR --output DIR
Writes OUTPUT/NAME_pydoc.h for every template, then OUTPUT/docstring_status.
"""

import argparse
import glob
import os
import re
import sys

COMMENT_AND_DECL = re.compile(r"/\*!(.*?)\*/\s*([^;{]*)", re.S)
CLASS_NAME = re.compile(r"\bclass\s+(?:\w+\s+)?(\w+)\s*(?::|$)")
FUNCTION_NAME = re.compile(r"(\w+)\s*\(")
TEMPLATE_ENTRY = re.compile(r'(static const char \*__doc_(\w+) = R"doc\()(.*?)(\)doc";)', re.S)


def comment_text(raw):
    """Doxygen comment body to plain docstring text (paragraphs, an Args section)."""
    lines = [re.sub(r"^\s*\*? ?", "", line).rstrip() for line in raw.splitlines()]
    out, args = [], []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("\\ingroup"):
            continue
        if stripped.startswith("\\details"):
            out.append("")
            continue
        m = re.match(r"\\param\s+(\w+)\s*(.*)", stripped)
        if m:
            args.append([m.group(1), m.group(2)])
            continue
        if args and stripped and not stripped.startswith("\\"):
            args[-1][1] += " " + stripped  # continuation of the last \param
            continue
        out.append(re.sub(r"^\\brief\s*", "", stripped))
    text = "\n".join(out).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if args:
        text += "\n\nArgs:\n" + "\n".join(f"    {name}: {desc}" for name, desc in args)
    return text


def header_docstrings(header_path, namespace):
    """{'gr_cellscan_block': text, 'gr_cellscan_block_member': text} from one header."""
    with open(header_path, encoding="utf-8") as f:
        source = f.read()
    docs, current_class = {}, None
    for m in COMMENT_AND_DECL.finditer(source):
        raw, decl = m.group(1), m.group(2)
        cls = CLASS_NAME.search(decl)
        if cls:
            current_class = cls.group(1)
            docs[f"{namespace}_{current_class}"] = comment_text(raw)
            continue
        fn = FUNCTION_NAME.search(decl)
        if fn and current_class:
            docs[f"{namespace}_{current_class}_{fn.group(1)}"] = comment_text(raw)
    return docs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headers", required=True, help="include/gnuradio/cellscan")
    parser.add_argument("--templates", required=True, help="bindings/docstrings")
    parser.add_argument("--output", required=True, help="where NAME_pydoc.h go")
    parser.add_argument("--namespace", default="gr_cellscan")
    args = parser.parse_args()

    templates = sorted(glob.glob(os.path.join(args.templates, "*_pydoc_template.h")))
    if not templates:
        sys.exit(f"pydoc_from_headers: no *_pydoc_template.h in {args.templates}")
    os.makedirs(args.output, exist_ok=True)
    for template in templates:
        block = os.path.basename(template)[: -len("_pydoc_template.h")]
        header = os.path.join(args.headers, block + ".h")
        if not os.path.isfile(header):
            sys.exit(f"pydoc_from_headers: {template}: no block header {header}")
        docs = header_docstrings(header, args.namespace)
        with open(template, encoding="utf-8") as f:
            text = f.read()

        def fill(m):
            doc = docs.get(m.group(2), m.group(3))
            return m.group(1) + doc + m.group(4)

        text = TEMPLATE_ENTRY.sub(fill, text)
        with open(os.path.join(args.output, block + "_pydoc.h"), "w", encoding="utf-8") as f:
            f.write(text)
    # The build's marker (GR convention): delete it to force the headers to be rewritten.
    with open(os.path.join(args.output, "docstring_status"), "w", encoding="utf-8") as f:
        f.write("DONE\n")


if __name__ == "__main__":
    main()
