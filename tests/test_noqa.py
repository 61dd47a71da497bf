"""Suppression comments and SL100 unused-noqa, through the runner (the layer that applies them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scopelint.read.source import Source
from scopelint.rules import noqa
from scopelint.run.config import Overrides, build
from scopelint.run.runner import lint_source

HEADER = "import tensorflow.compat.v1 as tf\nw = tf.get_variable('w', [1])\n"
DUP = "w2 = tf.get_variable('w', [1])"  # SL001 on line 3, column 6


def findings(
    source: str, *, select: str | None = None, extend: str | None = None, path: str = "t.py"
):
    settings = build([Path.cwd()], Overrides(select=select, extend_select=extend), Path.cwd())
    result = lint_source(Source(source.encode()), path, settings)
    return [(d.span.start.row, d.code, d.message) for d in result.diagnostics]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    # Configuration is searched upward from the cwd: keep the repository's out of it.
    monkeypatch.chdir(tmp_path)


def codes(source: str, **kwargs) -> list[tuple[int, str]]:
    return [(row, code) for row, code, _ in findings(source, **kwargs)]


def test_unsuppressed():
    assert codes(HEADER + DUP + "\n") == [(3, "SL001")]


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa: SL001",
        "# noqa:SL001",
        "#noqa: SL001",
        "# NOQA: SL001",
        "# NoQa: sl001",
        "# noqa: duplicate-variable",
        "# noqa: E501, SL001",
        "# noqa: E501 SL001",
        "# noqa: SL002,SL001",
        "# noqa",
        "# noqa: a reason, not codes",  # no codes after the colon: bare, like flake8
        "# type: ignore  # noqa: SL001",
    ],
)
def test_line_directive_suppresses(comment):
    assert codes(HEADER + DUP + "  " + comment + "\n") == []


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa: SL002",
        "# noqa: E501",
        "# noqa: reuse-before-definition",
        "# no qa",
        "# not a noqa: SL001",
    ],
)
def test_line_directive_for_other_codes_does_not_suppress(comment):
    assert codes(HEADER + DUP + "  " + comment + "\n") == [(3, "SL001")]


def test_noqa_inside_a_string_is_not_a_directive():
    source = HEADER + 'w2 = tf.get_variable("w", [1]); s = "# noqa: SL001"\n'
    assert codes(source) == [(3, "SL001")]


def test_multi_line_call_uses_its_first_line():
    call = "w2 = tf.get_variable(\n    'w',\n    [1])"
    assert codes(HEADER + call + "\n") == [(3, "SL001")]
    assert codes(HEADER + call.replace("(\n", "(  # noqa: SL001\n", 1) + "\n") == []
    # on the last line it does not apply: the reported row is the first one
    assert codes(HEADER + call + "  # noqa: SL001\n") == [(3, "SL001")]


def test_another_line_is_not_suppressed():
    source = HEADER + "# noqa: SL001\n" + DUP + "\n"
    assert codes(source) == [(4, "SL001")]


def test_file_level_directive():
    assert codes("# scopelint: noqa\n" + HEADER + DUP + "\n") == []
    assert codes("# scopelint: noqa: SL001\n" + HEADER + DUP + "\n") == []
    assert codes("# Scopelint: NOQA: duplicate-variable\n" + HEADER + DUP + "\n") == []
    assert codes("# scopelint: noqa: SL003\n" + HEADER + DUP + "\n") == [(4, "SL001")]
    # anywhere in the file
    assert codes(HEADER + DUP + "\n# scopelint: noqa\n") == []


def test_file_level_directive_silences_sl900():
    assert codes("import tensorflow as tf\nprint 'py2'\n") == [(2, "SL900")]
    assert codes("# scopelint: noqa: SL900\nimport tensorflow as tf\nprint 'py2'\n") == []


# -- SL100 ---------------------------------------------------------------------------------------


def test_sl100_only_when_selected():
    source = HEADER + "x = 1  # noqa: SL001\n"
    assert codes(source) == []
    assert findings(source, extend="SL100") == [
        (3, "SL100", "Unused `noqa` directive (unused: `SL001`)")
    ]
    assert codes(source, select="unused-noqa") == [(3, "SL100")]


def test_sl100_position_is_the_directive():
    settings = build([Path.cwd()], Overrides(extend_select="SL100"), Path.cwd())
    result = lint_source(Source((HEADER + "x = 1  # noqa: SL001\n").encode()), "t.py", settings)
    (d,) = result.diagnostics
    assert (d.span.start.row, d.span.start.column, d.span.end.column) == (3, 8, 21)


def test_sl100_used_directive_is_not_reported():
    assert codes(HEADER + DUP + "  # noqa: SL001\n", extend="SL100") == []
    assert codes(HEADER + DUP + "  # noqa\n", extend="SL100") == []


def test_sl100_bare_directive_that_suppresses_nothing():
    assert findings(HEADER + "x = 1  # noqa\n", extend="SL100") == [
        (3, "SL100", "Unused blanket `noqa` directive")
    ]


def test_sl100_reports_only_the_unused_codes():
    assert findings(HEADER + DUP + "  # noqa: SL001, SL002, E501\n", extend="SL100") == [
        (3, "SL100", "Unused `noqa` directive (unused: `SL002`)")
    ]


def test_sl100_ignores_other_tools_codes():
    assert codes(HEADER + "x = 1  # noqa: E501, F401\n", extend="SL100") == []


def test_sl100_unknown_scopelint_code():
    assert findings(HEADER + "x = 1  # noqa: SL999\n", extend="SL100") == [
        (3, "SL100", "Unused `noqa` directive (unknown: `SL999`)")
    ]


def test_sl100_counts_suppressions_of_unselected_rules():
    # The directive silences a real SL001, so it is in use even when only SL100 is selected.
    assert codes(HEADER + DUP + "  # noqa: SL001\n", select="SL100") == []


def test_sl100_can_be_silenced():
    assert codes(HEADER + "x = 1  # noqa: SL001, SL100\n", extend="SL100") == []
    assert (
        codes("# scopelint: noqa: SL100\n" + HEADER + "x = 1  # noqa: SL001\n", extend="SL100")
        == []
    )
    assert codes("# scopelint: noqa\n" + HEADER + "x = 1  # noqa: SL001\n", extend="SL100") == []


def test_sl100_not_reported_in_a_file_that_could_not_be_parsed():
    source = "import tensorflow as tf  # noqa: SL001\nprint 'py2'\n"
    assert codes(source, extend="SL100") == [(2, "SL900")]


def test_sl100_with_per_file_ignores(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.scopelint]\nextend-select = ['SL100']\nper-file-ignores = {'gen_*.py' = ['SL100']}\n"
    )
    source = HEADER + "x = 1  # noqa: SL001\n"
    assert codes(source, path="gen_a.py") == []
    assert codes(source, path="a.py") == [(3, "SL100")]


# -- the scanner ---------------------------------------------------------------------------------


def test_scan_parses_codes_and_names():
    directives = noqa.scan("x = 1  # noqa: SL001, duplicate-variable E501 reason text\n")
    (directive,) = directives.lines.values()
    assert directive.codes == ("SL001", "duplicate-variable", "E501")
    assert directive.resolved == {"SL001"}


def test_scan_survives_a_tokenize_error():
    directives = noqa.scan("# scopelint: noqa\nx = (\n")
    assert directives.file_codes is None


def test_files_without_noqa_are_not_tokenized(monkeypatch):
    def fail(text):
        raise AssertionError("scan called")

    monkeypatch.setattr(noqa, "scan", fail)
    assert codes(HEADER + DUP + "\n") == [(3, "SL001")]
