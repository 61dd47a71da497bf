"""The language server parses an edited document again only where the edit touched it: the
spliced module must be exactly what parsing the whole new text gives (same tree, same text)."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest

from scopelint.server.reparse import measure, reparse

FIXTURES = sorted((Path(__file__).resolve().parent.parent / "fixtures").rglob("*.py"))
# Typing: words, lines, comments, brackets and quotes left open, decorators, blocks, backslashes.
SNIPPETS = [
    "x",
    "\n",
    "# c\n",
    "  ",
    "(",
    ")",
    '"""',
    "\n\n",
    "def f():\n    pass\n",
    "@d\n",
    ":",
    "\n    y = 1\n",
    "",
    "if x:\n",
    "'",
    "\\\n",
    "class C:\n  z = 2\n",
]


@pytest.mark.parametrize("seed", range(3))
def test_spliced_module_is_the_whole_parse(seed: int):
    rng = random.Random(seed)
    spliced = 0
    for path in FIXTURES[seed::20]:
        text = path.read_text(encoding="utf-8")
        tree = measure(text, cst.parse_module(text))
        for _ in range(8):
            if tree is None:
                break
            start = rng.randrange(len(text) + 1)
            end = min(len(text), start + rng.choice([0, 0, 1, 3, 20]))
            new = text[:start] + rng.choice(SNIPPETS) + text[end:]
            got = reparse(tree, new)
            try:
                whole = cst.parse_module(new)
            except cst.ParserSyntaxError:
                assert got is None, new
                continue
            if got is None:
                tree, text = measure(new, whole), new
                continue
            if whole.code == new:  # (libcst prints a few odd texts back differently)
                assert got.module.code == new
                assert got.module.deep_equals(whole)
                assert got.lengths == measure(new, whole).lengths
                spliced += 1
            tree, text = got, new
    assert spliced > 50  # most edits were spliced, not parsed whole


def test_edit_in_the_header_is_parsed_whole():
    text = "# licence\n\nimport tensorflow as tf\nw = 0\nv = 0\nx = 1\n"
    tree = measure(text, cst.parse_module(text))
    assert reparse(tree, text.replace("licence", "licence!")) is None
    same = reparse(tree, text.replace("x = 1", "x = 2"))
    assert same is not None and same.module.body[0] is tree.module.body[0]  # kept, not parsed


def test_text_without_a_final_newline_is_parsed_whole():
    """libcst prints the last statement with the newline the text lacks: spliced, its parts'
    lengths would not add up to the text."""
    text = "import tensorflow as tf\nw = 0\nv = 0\n"
    tree = measure(text, cst.parse_module(text))
    assert reparse(tree, text + "x = 1") is None
    assert reparse(tree, text + "x = 1\n") is not None
