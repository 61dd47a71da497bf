"""`scopelint server`: a language server (LSP over stdio) for editors, on pygls.

An optional part: `pip install 'scopelint[lsp]'`. The linter itself never imports this package.

- ``workspace``: settings per document, the warm index with the editor's buffers over the disk
- ``hover``: what hovering over a call shows (its variables, its variable scope)
- ``actions``: the edits of the code actions (`# noqa`)
- ``protocol``: the LSP server itself
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scopelint server",
        description="Run the scopelint language server on stdin/stdout (for editors).",
    )
    parser.add_argument(
        "--debounce",
        type=float,
        default=0.3,
        metavar="SECONDS",
        help="check a document once edits pause this long (default: 0.3)",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        from .protocol import serve
    except ImportError as error:  # the optional dependency is missing
        print(
            f"scopelint: error: the language server needs pygls ({error}); install it with "
            "`pip install 'scopelint[lsp]'`",
            file=sys.stderr,
        )
        return 2
    serve(max(0.0, args.debounce))
    return 0
