"""Output formats. One module per format family; each exposes ``render(results, context) -> str``.

Renderers are pure: they get the run's results (already filtered and sorted) and a
:class:`RenderContext` (``context.py``), and return the exact text to print. They never read
settings or files themselves, except source lines through ``context.lines`` (the runner keeps
the text of files with findings, so nothing is read twice).
"""

from __future__ import annotations

from . import github, gitlab, jsonfmt, junit, sarif, text
from .context import RenderContext, Renderer, diagnostics_of

FORMATS: dict[str, Renderer] = {
    "full": text.render_full,
    "concise": text.render_concise,
    "json": jsonfmt.render_json,
    "json-lines": jsonfmt.render_json_lines,
    "github": github.render,
    "sarif": sarif.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
}
DEFAULT_FORMAT = "full"

__all__ = ["FORMATS", "DEFAULT_FORMAT", "RenderContext", "Renderer", "diagnostics_of"]
