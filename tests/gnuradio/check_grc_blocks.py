#!/usr/bin/env python3
"""Load every grc/*.block.yml and grc/*.tree.yml through GNU Radio Companion's own platform
and fail on anything GRC reports about them: grcc exits 0 even when a block YAML is broken
(the bad block is only logged and left out), so this is the check that a file loads.

Also: every block has documentation and sits under [cellscan] in the tree, and each block,
dropped into an empty flowgraph with its default parameters, validates except for its
unconnected ports and renders its make template.
Env: CS_SOURCE_DIR (project root); run with GRC_BLOCKS_PATH unset or pointing at grc/.
"""

import glob
import logging
import os
import sys

import yaml

SOURCE_DIR = os.environ.get("CS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
GRC_DIR = os.path.realpath(os.path.join(SOURCE_DIR, "grc"))
os.environ["GRC_BLOCKS_PATH"] = GRC_DIR  # ahead of the installed blocks, like a user's path

from gnuradio import gr  # noqa: E402
from gnuradio.grc.core import Messages  # noqa: E402
from gnuradio.grc.core.platform import Platform  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


class Recorder(logging.Handler):
    """Keeps GRC's warnings and errors that concern our files."""

    def __init__(self, names):
        super().__init__(logging.WARNING)
        self.names = names
        self.records = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += " " + str(record.exc_info[1])
        if any(name in text for name in self.names) or isinstance(record.msg, Exception):
            self.records.append(text)


block_files = sorted(glob.glob(os.path.join(GRC_DIR, "*.block.yml")))
tree_files = sorted(glob.glob(os.path.join(GRC_DIR, "*.tree.yml")))
if not block_files or not tree_files:
    sys.exit("check_grc_blocks: no *.block.yml or *.tree.yml in %s" % GRC_DIR)
ids = {}
for path in block_files:
    try:
        with open(path) as f:
            ids[yaml.safe_load(f)["id"]] = os.path.basename(path)
    except (yaml.YAMLError, KeyError, TypeError) as err:
        fail("%s: not a block description: %s" % (os.path.basename(path),
                                                  str(err).replace("\n", " ")))

recorder = Recorder([GRC_DIR] + [os.path.basename(p) for p in block_files + tree_files])
logging.getLogger("gnuradio.grc").addHandler(recorder)
platform = Platform(name="cellscan GRC check", prefs=gr.prefs(), version=gr.version(),
                    version_parts=(gr.major_version(), gr.api_version(), gr.minor_version()))
platform.build_library()

for text in recorder.records:
    fail("GRC while loading: " + text)
error_file = getattr(Messages, "flowgraph_error_file", None)
if error_file and os.path.realpath(error_file).startswith(GRC_DIR):
    fail("GRC could not load %s: %s" % (error_file, Messages.flowgraph_error))

tree_ids = set()
for path in tree_files:
    with open(path) as f:
        tree = yaml.safe_load(f)

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        else:
            tree_ids.add(node)

    walk(tree)
for block_id in sorted(tree_ids - set(ids)):
    fail("%s lists %s, which no grc/*.block.yml defines" % (os.path.basename(tree_files[0]),
                                                            block_id))

for block_id, filename in sorted(ids.items()):
    block = platform.blocks.get(block_id)
    if block is None:
        fail("%s: block %s was not loaded by GRC" % (filename, block_id))
        continue
    if block_id not in tree_ids:
        fail("%s: %s is missing from the block tree" % (filename, block_id))
    if not block.category or block.category[0] != "cellscan":
        fail("%s: category %s is not under [cellscan]" % (filename, block.category))
    if len(block.documentation.get("", "").strip()) < 80:
        fail("%s: no documentation: text" % filename)

    flow_graph = platform.make_flow_graph()
    rate = flow_graph.new_block("variable")
    rate.params["id"].set_value("samp_rate")
    rate.params["value"].set_value("1e6")
    instance = flow_graph.new_block(block_id)
    instance.params["id"].set_value(block_id + "_0")
    flow_graph.rewrite()
    flow_graph.validate()
    for msg in instance.get_error_messages():
        if "Port is not connected" not in msg:
            fail("%s: with default parameters: %s" % (filename, msg.replace("\n", " ")))
    try:
        make = instance.templates.render("make")
    except Exception as err:  # a template error is what this check is for
        fail("%s: make template does not render: %s" % (filename, err))
    else:
        if not make.startswith("cellscan."):
            fail("%s: make template renders as %r" % (filename, make))

print("%d block file(s), %d tree file(s) checked" % (len(block_files), len(tree_files)))
if failures:
    print("%d problem(s)" % len(failures))
    sys.exit(1)
