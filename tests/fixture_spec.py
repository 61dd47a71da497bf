"""Reading fixtures: the expected findings each fixture declares with `# expect: CODE` comments."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")
_UNPREDICTED = re.compile(r"#\s*unpredicted\b")
_RAISES = re.compile(r"#\s*raises:\s*(?P<kind>[A-Za-z]+)")
_NAME_OPEN = re.compile(r"#\s*name open\b")


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.py") if p.is_file())


def expected(path: Path) -> list[tuple[int, str]]:
    """(line, code) pairs declared in the fixture, sorted."""
    out = []
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type == tokenize.COMMENT:
                match = _EXPECT.search(token.string)
                if match:
                    for code in match.group("codes").split(","):
                        out.append((token.start[0], code.strip()))
    return sorted(out)


def unpredicted(path: Path) -> set[int]:
    """Lines marked `# unpredicted`: TF makes variables there that scopelint does not name (Keras
    layers, which never touch the `get_variable` store). The TF check leaves those out, and
    scopelint must predict nothing there."""
    return _marked_lines(path, _UNPREDICTED)


def names_open(path: Path) -> set[int]:
    """Lines marked `# name open`: TF makes a variable there whose name scopelint cannot be sure
    of (an op made without a name may have taken the one asked for): scopelint must see the
    creation and leave its name open."""
    return _marked_lines(path, _NAME_OPEN)


def _marked_lines(path: Path, marker: re.Pattern) -> set[int]:
    lines = set()
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type == tokenize.COMMENT and marker.search(token.string):
                lines.add(token.start[0])
    return lines


def raises(path: Path) -> dict[int, str]:
    """Lines marked `# raises: KIND`: TF raises an exception of that class there that no rule
    reports (not a store error); the program ends there, and scopelint predicts nothing after it."""
    out = {}
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type == tokenize.COMMENT:
                match = _RAISES.search(token.string)
                if match:
                    out[token.start[0]] = match.group("kind")
    return out


def fixture_id(path: Path) -> str:
    return str(path.relative_to(FIXTURES))
