"""Latency of `scopelint server` as an editor sees it: the first diagnostics after opening a file,
and the diagnostics after each edit on a warm server (median and 95th percentile).

The server runs as a subprocess over stdio (`python -m scopelint server --debounce 0`, so the
figures are the analysis, not the wait for typing to pause; an editor adds the debounce, 0.3 s by
default). The client is pygls's. Files are opened one after another; each then gets ``--edits``
edits (a comment line typed in the middle of the file), each timed from `didChange` to the
`publishDiagnostics` of that version. With ``--hover``, a hover on the file's first line that
calls something follows each edit and is timed too (it computes every predicted variable's
position, which diagnostics do not need).

    python -m benchmarks.lsp_latency ~/scopelint-real/tensorflow+tensor2tensor \\
        --paths tensor2tensor/models tensor2tensor/layers --sample 20 --edits 5

Prints figures; it is no test and asserts nothing about them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent


def _files(root: Path, paths: list[str], sample: int) -> list[Path]:
    found = sorted(
        p
        for name in paths
        for p in (root / name).rglob("*.py")
        if not p.name.endswith("_test.py") and p.name != "__init__.py"
    )
    if sample and len(found) > sample:  # evenly spaced in path order: deterministic
        step = len(found) / sample
        found = [found[int(i * step)] for i in range(sample)]
    return found


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("scopelint-latency", "1")
        self.arrived: dict[tuple[str, int | None], asyncio.Event] = {}

        @self.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            self._event(params.uri, params.version).set()

    def _event(self, uri: str, version: int | None) -> asyncio.Event:
        return self.arrived.setdefault((uri, version), asyncio.Event())

    async def diagnostics(self, uri: str, version: int, timeout: float) -> None:
        await asyncio.wait_for(self._event(uri, version).wait(), timeout)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _summary(label: str, values: list[float]) -> str:
    if not values:
        return f"{label}: no samples"
    ms = [v * 1000 for v in values]
    return (
        f"{label}: n={len(ms)}  median {statistics.median(ms):.0f} ms  "
        f"p95 {_percentile(ms, 0.95):.0f} ms  max {max(ms):.0f} ms"
    )


def _edited(text: str, number: int) -> str:
    """The text with a comment line typed in the middle of the file (inside a function, most
    often), a little further down at each edit."""
    lines = text.splitlines(True)
    at = min(len(lines), len(lines) // 2 + number)
    return "".join(lines[:at]) + f"# edited {number}\n" + "".join(lines[at:])


def _hover_position(text: str) -> lsp.Position:
    for row, line in enumerate(text.splitlines()):
        if "tf." in line and "(" in line and not line.lstrip().startswith(("#", "import", "from")):
            return lsp.Position(line=row, character=line.index("tf."))
    return lsp.Position(line=0, character=0)


async def run(args: argparse.Namespace) -> None:
    root = Path(args.root).resolve()
    files = _files(root, args.paths, args.sample)
    client = Client()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    await client.start_io(sys.executable, "-m", "scopelint", "server", "--debounce", "0", env=env)
    await client.initialize_async(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        )
    )
    client.initialized(lsp.InitializedParams())
    print(f"server started and initialized in {time.perf_counter() - started:.2f} s")
    print(f"{len(files)} files of {root}")
    opens: list[float] = []
    edits: list[float] = []
    hovers: list[float] = []
    slowest: list[tuple[float, str]] = []
    for number, path in enumerate(files):
        uri, text = path.as_uri(), path.read_text(encoding="utf-8")
        begin = time.perf_counter()
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        await client.diagnostics(uri, 1, args.timeout)
        opened = time.perf_counter() - begin
        opens.append(opened)
        shown = path.relative_to(root)
        if number == 0:
            print(f"first diagnostics on a cold server ({shown}): {opened * 1000:.0f} ms")
        for edit in range(args.edits):
            version = edit + 2
            changed = _edited(text, edit)
            begin = time.perf_counter()
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=changed)],
                )
            )
            await client.diagnostics(uri, version, args.timeout)
            took = time.perf_counter() - begin
            edits.append(took)
            slowest.append((took, str(shown)))
            if args.hover:
                begin = time.perf_counter()
                await client.text_document_hover_async(
                    lsp.HoverParams(
                        text_document=lsp.TextDocumentIdentifier(uri=uri),
                        position=_hover_position(changed),
                    )
                )
                hovers.append(time.perf_counter() - begin)
    print(_summary("open, first diagnostics (each file's first analysis)", opens))
    print(_summary("edit -> diagnostics, warm server", edits))
    if args.hover:
        print(_summary("hover right after an edit", hovers))
    print(
        "slowest edits: "
        + ", ".join(f"{name} {t * 1000:.0f} ms" for t, name in sorted(slowest, reverse=True)[:5])
    )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", help="the project directory (the workspace folder)")
    parser.add_argument(
        "--paths", nargs="+", default=["."], help="directories of it to open files from"
    )
    parser.add_argument("--sample", type=int, default=20, help="files to open (0: all)")
    parser.add_argument("--edits", type=int, default=5, help="edits per file")
    parser.add_argument("--hover", action="store_true", help="also time a hover after each edit")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for one answer"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
