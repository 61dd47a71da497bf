"""docs/rules.md is generated from the registry and must be current; every rule is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint.render.ruledocs import anchor, rules_markdown
from scopelint.run.config import ALL_RULES, DEFAULT_SELECT

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules.md"
COMMAND = "python scripts/gen_rule_docs.py"


def test_docs_page_is_up_to_date():
    expected = rules_markdown(ALL_RULES, DEFAULT_SELECT)
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    assert current == expected, (
        f"docs/rules.md is out of date: run `{COMMAND}` from the repository root"
    )


def test_generator_check_mode():
    proc = subprocess.run(
        [sys.executable, "scripts/gen_rule_docs.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_every_rule_is_on_the_page_with_its_anchor():
    text = DOCS.read_text(encoding="utf-8")
    for info in ALL_RULES:
        assert f"\n## {info.code} {info.name}\n" in text
        assert f"(#{anchor(info)})" in text
        assert info.url.endswith("#" + anchor(info))


@pytest.mark.parametrize("info", ALL_RULES, ids=lambda info: info.code)
def test_rule_doc_shape(info):
    """ruff's shape: What it does / Why is this bad? / Example / Use instead."""
    sections = re.findall(r"^## (.+)$", info.doc, re.M)
    assert sections[:3] == ["What it does", "Why is this bad?", "Example"], info.code
    assert "\nUse instead:\n" in info.doc
    assert re.fullmatch(r"SL\d{3}", info.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", info.name)
    assert info.summary and "\n" not in info.summary


def test_codes_and_names_are_unique():
    assert len({i.code for i in ALL_RULES}) == len({i.name for i in ALL_RULES}) == len(ALL_RULES)
