"""Write docs/rules.md from the rule registry (the rule docstrings are the only source).

python scripts/gen_rule_docs.py          # regenerate docs/rules.md
python scripts/gen_rule_docs.py --check  # exit 1 if docs/rules.md is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scopelint.render.ruledocs import rules_markdown  # noqa: E402
from scopelint.run.config import ALL_RULES, DEFAULT_SELECT  # noqa: E402

TARGET = ROOT / "docs" / "rules.md"
COMMAND = "python scripts/gen_rule_docs.py"


def expected() -> str:
    return rules_markdown(ALL_RULES, DEFAULT_SELECT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, do not write")
    args = parser.parse_args(argv)
    text = expected()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
