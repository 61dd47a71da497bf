"""`scopelint server` end to end: a real LSP client (pytest-lsp) starts the server as a
subprocess and talks to it with the capabilities of VS Code (pushed diagnostics, UTF-16) and of
Neovim (pulled diagnostics, its own position encoding)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = pytest.mark.asyncio

REPO = Path(__file__).resolve().parent.parent
SERVER = [sys.executable, "-m", "scopelint", "server", "--debounce", "0"]
TIMEOUT = 60.0  # seconds for a diagnostic to arrive: a shared CI machine can be slow

MODEL = '''\
import tensorflow as tf

with tf.variable_scope("enc"):
    w = tf.get_variable("w", [3, 4])
    x = ("\U0001F600", tf.get_variable("w", [3, 4]))
'''

LAYERS_ONE = '''\
import tensorflow as tf


def dense(x):
    return tf.get_variable("w", [3, 4])
'''

LAYERS_TWO = '''\
import tensorflow as tf


def dense(x):
    tf.get_variable("w", [3, 4])
    return tf.get_variable("w", [3, 4])
'''

MAIN = '''\
import tensorflow as tf
from layers import dense

with tf.variable_scope("m"):
    a = dense(1)
'''


@pytest_lsp.fixture(
    params=["visual-studio-code", "neovim"],
    config=ClientServerConfig(
        server_command=SERVER, server_env={**os.environ, "PYTHONPATH": str(REPO)}
    ),
)
async def client(request, lsp_client: LanguageClient, tmp_path: Path):
    registered: list[lsp.Registration] = []
    # VS Code lets servers register file watchers; the test client records what is asked.
    lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)(
        lambda params: registered.extend(params.registrations)
    )
    lsp_client.registered = registered  # type: ignore[attr-defined]
    result = await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities(request.param),
            workspace_folders=[lsp.WorkspaceFolder(tmp_path.as_uri(), "project")],
            root_uri=tmp_path.as_uri(),
        )
    )
    lsp_client.project = tmp_path  # type: ignore[attr-defined]
    lsp_client.encoding = result.capabilities.position_encoding  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def _pulls(client: LanguageClient) -> bool:
    text = client.capabilities.text_document
    return text is not None and text.diagnostic is not None


async def _current(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    if _pulls(client):
        report = await client.text_document_diagnostic_async(
            lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
        )
        return list(report.items)
    return list(client.diagnostics.get(uri, []))


async def wait_for(client: LanguageClient, uri: str, codes: list[str]) -> list[lsp.Diagnostic]:
    """The document's diagnostics once their codes are ``codes``, pushed or pulled as the
    client does it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    seen: list[lsp.Diagnostic] = []
    while loop.time() < deadline:
        seen = await _current(client, uri)
        if sorted(str(d.code) for d in seen) == sorted(codes) and (
            _pulls(client) or uri in client.diagnostics
        ):
            return seen
        await asyncio.sleep(0.05)
    raise AssertionError(f"{uri}: expected {codes}, still {[d.code for d in seen]}")


def open_file(client: LanguageClient, name: str, text: str, on_disk: bool = True) -> str:
    path = client.project / name  # type: ignore[attr-defined]
    if on_disk:
        path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    return uri


def replace_text(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _hover_params(uri: str, position: lsp.Position) -> lsp.HoverParams:
    return lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)


def units(client: LanguageClient, text: str) -> int:
    """The length of ``text`` in the code units the server and the client agreed on."""
    encoding = client.encoding or lsp.PositionEncodingKind.Utf16  # type: ignore[attr-defined]
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


async def test_diagnostic_at_the_call(client: LanguageClient):
    uri = open_file(client, "model.py", MODEL)
    (found,) = await wait_for(client, uri, ["SL001"])
    line = MODEL.splitlines()[4]
    start = line.index("tf.get_variable")
    assert found.range.start == lsp.Position(line=4, character=units(client, line[:start]))
    assert found.range.end == lsp.Position(line=4, character=units(client, line[: line.index("))") + 1]))
    assert found.source == "scopelint"
    assert found.severity == lsp.DiagnosticSeverity.Error
    assert "`enc/w` already exists" in found.message
    assert found.related_information[0].location.range.start == lsp.Position(line=3, character=8)


async def test_unparseable_file_is_sl900(client: LanguageClient):
    uri = open_file(client, "broken.py", "import tensorflow as tf\nprint 'python 2'\n")
    (found,) = await wait_for(client, uri, ["SL900"])
    assert found.range.start.line == 1


async def test_unsaved_edit_of_an_imported_module(client: LanguageClient):
    layers = open_file(client, "layers.py", LAYERS_ONE)
    main = open_file(client, "main.py", MAIN)
    await wait_for(client, main, [])
    await wait_for(client, layers, [])
    replace_text(client, layers, 2, LAYERS_TWO)  # not saved: the disk keeps one variable
    (found,) = await wait_for(client, main, ["SL001"])
    assert found.range.start == lsp.Position(line=4, character=8)  # `dense(1)`: the call that led there
    replace_text(client, layers, 3, LAYERS_ONE)
    await wait_for(client, main, [])
    assert (client.project / "layers.py").read_text() == LAYERS_ONE  # type: ignore[attr-defined]
    # Nothing computed from unsaved text goes into the result cache: the server writes none.
    assert not (client.project / ".scopelint_cache").exists()  # type: ignore[attr-defined]


async def test_hover_shows_name_shape_and_first_creation(client: LanguageClient):
    text = MODEL.replace('("\U0001F600", tf.get_variable("w", [3, 4]))', "1") + (
        'with tf.variable_scope("enc", reuse=True):\n'
        '    v = tf.get_variable("w", [3, 4])\n'
    )
    uri = open_file(client, "model.py", text)
    await wait_for(client, uri, [])
    reuse_line = text.splitlines()[6]
    hover = await client.text_document_hover_async(
        _hover_params(uri, lsp.Position(line=6, character=reuse_line.index("get_")))
    )
    assert hover is not None
    value = hover.contents.value
    assert "`enc/w`" in value and "shape `(3, 4)`" in value and "`float32`" in value
    assert "reused" in value and "first created at line 4" in value
    assert hover.range.start == lsp.Position(line=6, character=reuse_line.index("tf.get_variable"))
    scope = await client.text_document_hover_async(
        _hover_params(uri, lsp.Position(line=5, character=8))
    )
    assert scope is not None and "`enc`, reuse `True`" in scope.contents.value
    nothing = await client.text_document_hover_async(
        _hover_params(uri, lsp.Position(line=0, character=3))
    )
    assert nothing is None


async def test_noqa_action_clears_the_diagnostic(client: LanguageClient):
    text = MODEL.replace('("\U0001F600", tf.get_variable("w", [3, 4]))', 'tf.get_variable("w", [3])')
    uri = open_file(client, "model.py", text)
    (found,) = await wait_for(client, uri, ["SL001"])
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=found.range,
            context=lsp.CodeActionContext(diagnostics=[found]),
        )
    )
    (action,) = [a for a in actions if "noqa" in a.title]
    (edit,) = action.edit.changes[uri]
    lines = text.splitlines(True)
    row = lines[edit.range.start.line]
    lines[edit.range.start.line] = (
        row[: edit.range.start.character] + edit.new_text + row[edit.range.end.character:]
    )
    fixed = "".join(lines)
    assert fixed.splitlines()[4].endswith('[3])  # noqa: SL001')
    replace_text(client, uri, 2, fixed)
    await wait_for(client, uri, [])


async def test_config_change_reloads(client: LanguageClient):
    config = client.project / "pyproject.toml"  # type: ignore[attr-defined]
    config.write_text('[tool.scopelint]\nextend-select = ["SL100"]\n', encoding="utf-8")
    text = MODEL.replace('("\U0001F600", tf.get_variable("w", [3, 4]))', "1  # noqa: SL001")
    uri = open_file(client, "model.py", text)
    (unused,) = await wait_for(client, uri, ["SL100"])
    assert list(unused.tags) == [lsp.DiagnosticTag.Unnecessary]
    config.write_text('[tool.scopelint]\nignore = ["SL100"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)]
        )
    )
    await wait_for(client, uri, [])
