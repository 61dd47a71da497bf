"""`scopelint server`: the Language Server Protocol over stdio, on pygls.

Every analysis runs on one worker thread, in order, so the warm index (``workspace.Projects``)
is never shared between threads; the event loop only keeps versions, results and timers, so a
hover is answered while an analysis runs. A document is checked on open and save at once, and
after edits once they pause for ``debounce`` seconds; a result for a version the editor has
moved past is dropped. Diagnostics are computed without positions for every predicted variable
(that is the costly part on large files); those, for hovers, follow when the editor has been
idle a moment, or at once when a hover asks for them.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import ServerTextPosition

from .. import __version__
from ..run.config import RULES_BY_CODE
from ..types import Diagnostic, Position, Severity, Span
from . import actions
from .hover import hover
from .worker import DEPENDENT, EDITED, IDLE, Worker
from .workspace import Checked, Projects

log = logging.getLogger("scopelint.server")

# After diagnostics, the predictions for hovers are computed once no document has been opened or
# edited for this long (a hover asks for them at once): typing is not queued behind them.
HOVER_IDLE = 1.0
# The documents that import an edited module are checked again once the editor has been quiet
# this long: a check of a large importer cannot be interrupted, and a keystroke would wait.
DEPENDENTS_IDLE = 1.0
WATCHERS = ("**/*.py", "**/pyproject.toml")


@dataclass(frozen=True)
class Result:
    """One document version's analysis, with the text it was made from (positions refer to it)."""

    version: int | None
    lines: tuple[str, ...]
    checked: Checked
    with_events: bool


class ScopelintServer(LanguageServer):
    def __init__(self, debounce: float = 0.3) -> None:
        super().__init__("scopelint", __version__)
        self.debounce = debounce
        self.projects = Projects()
        self.worker = Worker()
        self.results: dict[str, Result] = {}
        self.timers: dict[str, asyncio.Task] = {}
        self.hover_tasks: dict[str, tuple[int | None, asyncio.Task]] = {}
        self.waiting: dict[str, list[asyncio.Future]] = {}  # pull requests, by document
        self.shown_errors: set[str] = set()
        self.pull = False  # decided at initialize: see pulls()
        self.last_edit = 0.0  # the event loop's time of the last open, edit or save

    # -- capabilities --------------------------------------------------------------------------

    @staticmethod
    def pulls(capabilities: lsp.ClientCapabilities) -> bool:
        """Does the client ask for diagnostics (`textDocument/diagnostic`), and can it be told to
        ask again when an import changed them (`workspace/diagnostic/refresh`)? Then diagnostics
        are pulled, never pushed too (a client would show both); else they are pushed."""
        text, workspace = capabilities.text_document, capabilities.workspace
        return bool(
            text is not None
            and text.diagnostic is not None
            and workspace is not None
            and workspace.diagnostics is not None
            and workspace.diagnostics.refresh_support
        )

    def _markdown(self) -> bool:
        text = self.client_capabilities.text_document
        formats = text.hover.content_format if text and text.hover else None
        return not formats or lsp.MarkupKind.Markdown in formats

    # -- running analyses ----------------------------------------------------------------------

    async def run(self, fn: Callable[..., Any], *args: Any, priority: int = EDITED) -> Any:
        return await self.worker.submit(priority, fn, *args)

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents

    def doc_version(self, uri: str) -> int | None:
        return self.workspace.get_text_document(uri).version if self.is_open(uri) else None

    def schedule(self, uri: str, delay: float = 0.0, priority: int = EDITED) -> None:
        """Check ``uri`` after ``delay`` seconds; a check scheduled before and not finished is
        replaced (its queued work is skipped; its result would be for an old text)."""
        pending = self.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        task = asyncio.ensure_future(self._check_later(uri, delay, priority))
        task.add_done_callback(self._report_failure)
        self.timers[uri] = task

    def _report_failure(self, task: asyncio.Task) -> None:
        """A bug in the server: said in the client's log, and the server goes on."""
        if task.cancelled() or task.exception() is None:
            return
        text = "".join(traceback.format_exception(task.exception()))
        self.window_log_message(
            lsp.LogMessageParams(type=lsp.MessageType.Error, message=f"scopelint: {text}")
        )

    def touch(self) -> None:
        self.last_edit = asyncio.get_running_loop().time()

    async def idle(self, seconds: float) -> None:
        """Until no document was opened, edited or saved for ``seconds``: work nobody waits
        for cannot be interrupted once it runs, so it waits for the editor to be quiet."""
        loop = asyncio.get_running_loop()
        while (remaining := self.last_edit + seconds - loop.time()) > 0:
            await asyncio.sleep(remaining)

    async def _check_later(self, uri: str, delay: float, priority: int) -> None:
        if priority != EDITED:
            await self.idle(delay)
        elif delay > 0:
            await asyncio.sleep(delay)
        await self.check(uri, priority)
        if self.timers.get(uri) is asyncio.current_task():
            del self.timers[uri]

    async def check(self, uri: str, priority: int = EDITED) -> None:
        """Analyse the open document ``uri`` as it is now; publish unless it changed meanwhile;
        then re-check the open documents that read it, if its text changed."""
        if not self.is_open(uri):
            return
        document = self.workspace.get_text_document(uri)
        version, source = document.version, document.source
        path = Path(to_fs_path(uri) or uri)
        data = source.encode("utf-8")
        # The documents that read this one are checked after it (their work queued behind).
        for dependent in await self.run(self.projects.update, path, data, priority=priority):
            self.schedule(_uri_of(dependent, self), DEPENDENTS_IDLE, priority=DEPENDENT)
        checked = await self.run(self.projects.check, path, data, priority=priority)
        if self.doc_version(uri) != version:
            return  # the editor moved on: this result is for an old text
        self._store(uri, Result(version, tuple(source.splitlines(True)), checked, False))
        self._hover_later(uri, version)
        # For the next edit, when nothing more urgent waits: its lengths, to parse only a part.
        await self.run(self.projects.measure, path, data, priority=IDLE)

    def _store(self, uri: str, result: Result) -> None:
        previous = self.results.get(uri)
        self.results[uri] = result
        crash = result.checked.result.crash
        if crash is not None:
            self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=crash))
        error = result.checked.config_error
        if error is not None and error not in self.shown_errors:
            self.shown_errors.add(error)
            self.window_show_message(
                lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"scopelint: {error}")
            )
        waiters = self.waiting.pop(uri, [])
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(result)
        same = previous is not None and (
            previous.checked.result.diagnostics == result.checked.result.diagnostics
            and previous.lines == result.lines
        )
        if self.pull:
            # Nobody asked: another document's change made these (the client asks again).
            if not same and not waiters:
                self.workspace_diagnostic_refresh(None)
        elif not same:
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=uri, diagnostics=self.diagnostics(uri, result), version=result.version
                )
            )

    async def current(self, uri: str) -> Result | None:
        """The analysis of the document's current version (waiting for it if need be)."""
        if not self.is_open(uri):
            return None
        result = self.results.get(uri)
        if result is not None and result.version == self.doc_version(uri):
            return result
        waiter = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(uri, []).append(waiter)
        return await waiter

    # -- predictions for hovers ----------------------------------------------------------------

    def _hover_later(self, uri: str, version: int | None) -> None:
        self._hover_task(uri, version, HOVER_IDLE)

    def _hover_task(self, uri: str, version: int | None, delay: float) -> asyncio.Task:
        known = self.hover_tasks.get(uri)
        if known is not None and known[0] == version and not known[1].cancelled():
            if delay == 0 and not known[1].done():
                known[1].cancel()  # still waiting for the idle moment: run now instead
            else:
                return known[1]
        elif known is not None:
            known[1].cancel()
        task = asyncio.ensure_future(self._with_events(uri, version, delay))
        task.add_done_callback(self._report_failure)
        self.hover_tasks[uri] = (version, task)
        return task

    async def _with_events(self, uri: str, version: int | None, delay: float) -> Result | None:
        if delay > 0:
            await self.idle(delay)
        result = await self.current(uri)
        if result is None or result.version != version:
            return None
        if result.with_events:
            return result
        path = Path(to_fs_path(uri) or uri)
        data = "".join(result.lines).encode("utf-8")
        checked = await self.run(
            partial(self.projects.check, with_events=True),
            path,
            data,
            priority=IDLE if delay > 0 else EDITED,
        )
        if self.doc_version(uri) != version:
            return None
        full = Result(version, result.lines, checked, True)
        # Stored as any result: an imported module may have changed since, and so the findings.
        self._store(uri, full)
        return full

    async def predictions(self, uri: str) -> Result | None:
        """The current version's analysis with every predicted variable, for a hover."""
        result = await self.current(uri)
        if result is None:
            return None
        if result.with_events:
            return result
        task = self._hover_task(uri, result.version, 0)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            return None

    # -- protocol values -----------------------------------------------------------------------

    def range(self, lines: tuple[str, ...], span: Span) -> lsp.Range:
        codec = self.workspace.position_codec
        start = codec.position_to_client_units(
            lines, ServerTextPosition(span.start.row - 1, span.start.column - 1)
        )
        end = codec.position_to_client_units(
            lines, ServerTextPosition(span.end.row - 1, span.end.column - 1)
        )
        return lsp.Range(start=start, end=end)

    def diagnostics(self, uri: str, result: Result) -> list[lsp.Diagnostic]:
        return [self._diagnostic(uri, result.lines, d) for d in result.checked.result.diagnostics]

    def _diagnostic(self, uri: str, lines: tuple[str, ...], found: Diagnostic) -> lsp.Diagnostic:
        info = RULES_BY_CODE.get(found.code)
        return lsp.Diagnostic(
            range=self.range(lines, found.span),
            message=found.message,
            severity=(
                lsp.DiagnosticSeverity.Error
                if found.severity is Severity.ERROR
                else lsp.DiagnosticSeverity.Warning
            ),
            code=found.code,
            code_description=lsp.CodeDescription(href=info.url) if info and info.url else None,
            source="scopelint",
            tags=[lsp.DiagnosticTag.Unnecessary] if found.code == "SL100" else None,
            related_information=[
                lsp.DiagnosticRelatedInformation(
                    location=lsp.Location(uri=uri, range=self.range(lines, related.span)),
                    message=related.message,
                )
                for related in found.related
            ]
            or None,
        )


def _uri_of(path: Path, server: ScopelintServer) -> str:
    """The editor's URI for an open document (as it spelled it), else a file URI."""
    for uri in server.workspace.text_documents:
        if Path(to_fs_path(uri) or uri).resolve() == path:
            return uri
    return path.as_uri()


def _changed_file(change: lsp.FileEvent) -> Path:
    return Path(to_fs_path(change.uri) or change.uri)


def create(debounce: float = 0.3) -> ScopelintServer:
    server = ScopelintServer(debounce)

    async def pull(ls: ScopelintServer, params: lsp.DocumentDiagnosticParams) -> Any:
        result = await ls.current(params.text_document.uri)
        items = ls.diagnostics(params.text_document.uri, result) if result is not None else []
        return lsp.RelatedFullDocumentDiagnosticReport(items=items)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: ScopelintServer, params: lsp.InitializeParams) -> None:
        # Features registered here are still announced in the server's capabilities.
        if ls.pulls(params.capabilities):
            ls.pull = True
            options = lsp.DiagnosticOptions(
                identifier="scopelint", inter_file_dependencies=True, workspace_diagnostics=False
            )
            ls.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, options)(pull)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: ScopelintServer, params: lsp.InitializedParams) -> None:
        folders = [Path(to_fs_path(f.uri) or f.uri) for f in ls.workspace.folders.values()]
        if not folders and ls.workspace.root_path:
            folders = [Path(ls.workspace.root_path)]
        ls.projects = Projects(folders)
        watched = ls.client_capabilities.workspace
        if (
            watched
            and watched.did_change_watched_files
            and (watched.did_change_watched_files.dynamic_registration)
        ):
            options = lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=g) for g in WATCHERS]
            )
            ls.client_register_capability(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="scopelint-watch",
                            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=options,
                        )
                    ]
                )
            )

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ScopelintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.touch()
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ScopelintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.touch()
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: ScopelintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.touch()
        path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
        await ls.run(ls.projects.changed_on_disk, [path], False)
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: ScopelintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.results.pop(uri, None)
        for table in (ls.timers, ls.hover_tasks):
            pending = table.pop(uri, None)
            if pending is not None:
                (pending[1] if isinstance(pending, tuple) else pending).cancel()
        if not ls.pull:
            ls.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
        path = Path(to_fs_path(uri) or uri)
        dependents = await ls.run(ls.projects.dependents, [path])
        if await ls.run(ls.projects.close, path):  # the unsaved text is gone: disk again
            for dependent in dependents - {path}:
                ls.schedule(_uri_of(dependent, ls))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched_files(ls: ScopelintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        configs = [c for c in params.changes if c.uri.endswith(".toml")]
        modules = [c for c in params.changes if not c.uri.endswith(".toml")]
        if configs:
            await ls.run(ls.projects.reload_config)
        listings = any(c.type != lsp.FileChangeType.Changed for c in modules)
        paths = [_changed_file(c) for c in modules]
        await ls.run(ls.projects.changed_on_disk, paths, listings)
        if configs or listings:  # any document may read it now
            again = list(ls.results)
        else:
            again = [_uri_of(p, ls) for p in await ls.run(ls.projects.dependents, paths)]
        for uri in again:
            ls.schedule(uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: ScopelintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        result = await ls.predictions(uri)
        if result is None:
            return None
        at = ls.workspace.position_codec.position_from_client_units(result.lines, params.position)
        found = hover(result.checked.result, Position(at.line + 1, at.character + 1))
        if found is None:
            return None
        kind = lsp.MarkupKind.Markdown if ls._markdown() else lsp.MarkupKind.PlainText
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=kind, value=found.markdown),
            range=ls.range(result.lines, found.span),
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def code_action(ls: ScopelintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        if not ls.is_open(uri):
            return []
        document = ls.workspace.get_text_document(uri)
        text, lines = document.source, document.lines
        out = []
        for found in params.context.diagnostics:
            if found.source != "scopelint" or not isinstance(found.code, str):
                continue
            row = found.range.start.line + 1
            if found.code == "SL100":
                edit = actions.remove_unused(text, row, found.message)
                title = "Remove unused `noqa` directive"
            elif found.code != "SL900":
                edit = actions.ignore(text, row, found.code)
                title = f"Ignore {found.code} on this line (`# noqa: {found.code}`)"
            else:
                edit = None
            if edit is None:
                continue
            change = lsp.TextEdit(range=ls.range(lines, edit.span), new_text=edit.text)
            out.append(
                lsp.CodeAction(
                    title=title,
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[found],
                    edit=lsp.WorkspaceEdit(changes={uri: [change]}),
                )
            )
        return out

    return server


def serve(debounce: float = 0.3) -> None:
    logging.basicConfig(level=logging.WARNING)
    create(debounce).start_io()
