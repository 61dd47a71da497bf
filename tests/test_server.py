"""`scopelint server` end to end: a real LSP client (pytest-lsp) starts the server as a
subprocess and talks to it with the capabilities of VS Code (pushed diagnostics, UTF-16) and of
Neovim (pulled diagnostics, its own position encoding)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = Path(__file__).resolve().parent.parent
SERVER = [sys.executable, "-m", "scopelint", "server", "--debounce", "0"]
TIMEOUT = 60.0  # seconds for a diagnostic to arrive: a shared CI machine can be slow

MODEL = """\
import tensorflow as tf

with tf.variable_scope("enc"):
    w = tf.get_variable("w", [3, 4])
    x = ("\U0001f600", tf.get_variable("w", [3, 4]))
"""

LAYERS_ONE = """\
import tensorflow as tf


def dense(x):
    return tf.get_variable("w", [3, 4])
"""

LAYERS_TWO = """\
import tensorflow as tf


def dense(x):
    tf.get_variable("w", [3, 4])
    return tf.get_variable("w", [3, 4])
"""

MAIN = """\
import tensorflow as tf
from layers import dense

with tf.variable_scope("m"):
    a = dense(1)
"""


NAMES_MAIN = """\
import tensorflow as tf
from names import FIRST, SECOND

with tf.variable_scope("m"):
    a = tf.get_variable(FIRST, [3])
    b = tf.get_variable(SECOND, [3])
"""


# One server per client for the whole module (starting one costs seconds); each test works in a
# project directory of its own inside the workspace folder.
@pytest_lsp.fixture(
    scope="module",
    params=["visual-studio-code", "neovim", "pulling-client"],
    config=ClientServerConfig(
        server_command=SERVER, server_env={**os.environ, "PYTHONPATH": str(REPO)}
    ),
)
async def client(request, lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("workspace")
    registered: list[lsp.Registration] = []
    # VS Code lets servers register file watchers; the test client records what is asked.
    lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)(
        lambda params: registered.extend(params.registrations)
    )
    lsp_client.registered = registered  # type: ignore[attr-defined]
    result = await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=_capabilities(request.param),
            workspace_folders=[lsp.WorkspaceFolder(tmp_path.as_uri(), "project")],
            root_uri=tmp_path.as_uri(),
        )
    )
    lsp_client.project = tmp_path  # type: ignore[attr-defined]
    lsp_client.encoding = result.capabilities.position_encoding  # type: ignore[attr-defined]
    lsp_client.pulls = result.capabilities.diagnostic_provider is not None  # type: ignore
    yield
    await lsp_client.shutdown_session()


def _capabilities(name: str) -> lsp.ClientCapabilities:
    """A recorded client's capabilities; `pulling-client`: VS Code's, with the pulled
    diagnostics and the refresh requests that later versions have (the server then pulls)."""
    if name != "pulling-client":
        return client_capabilities(name)
    capabilities = client_capabilities("visual-studio-code")
    capabilities.text_document.diagnostic = lsp.DiagnosticClientCapabilities(
        dynamic_registration=False, related_document_support=True
    )
    capabilities.workspace.diagnostics = lsp.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )
    return capabilities


def _pulls(client: LanguageClient) -> bool:
    return client.pulls  # type: ignore[attr-defined]


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


def new_project(client: LanguageClient, request: pytest.FixtureRequest) -> Path:
    """A directory of the workspace for one test."""
    name = "".join(c if c.isalnum() else "_" for c in request.node.name)
    project = client.project / name  # type: ignore[attr-defined]
    project.mkdir()
    return project


def open_file(project: Path, client: LanguageClient, name: str, text: str) -> str:
    path = project / name
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
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


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostic_at_the_call(client: LanguageClient, request: pytest.FixtureRequest):
    project = new_project(client, request)
    uri = open_file(project, client, "model.py", MODEL)
    (found,) = await wait_for(client, uri, ["SL001"])
    line = MODEL.splitlines()[4]
    start = line.index("tf.get_variable")
    assert found.range.start == lsp.Position(line=4, character=units(client, line[:start]))
    assert found.range.end == lsp.Position(
        line=4, character=units(client, line[: line.index("))") + 1])
    )
    assert found.source == "scopelint"
    assert found.severity == lsp.DiagnosticSeverity.Error
    assert "`enc/w` already exists" in found.message
    assert found.related_information[0].location.range.start == lsp.Position(line=3, character=8)


@pytest.mark.asyncio(loop_scope="module")
async def test_unparseable_file_is_sl900(client: LanguageClient, request: pytest.FixtureRequest):
    project = new_project(client, request)
    uri = open_file(project, client, "broken.py", "import tensorflow as tf\nprint 'python 2'\n")
    (found,) = await wait_for(client, uri, ["SL900"])
    assert found.range.start.line == 1


@pytest.mark.asyncio(loop_scope="module")
async def test_unsaved_edit_of_an_imported_module(
    client: LanguageClient, request: pytest.FixtureRequest
):
    project = new_project(client, request)
    layers = open_file(project, client, "layers.py", LAYERS_ONE)
    main = open_file(project, client, "main.py", MAIN)
    await wait_for(client, main, [])
    await wait_for(client, layers, [])
    replace_text(client, layers, 2, LAYERS_TWO)  # not saved: the disk keeps one variable
    (found,) = await wait_for(client, main, ["SL001"])
    assert found.range.start == lsp.Position(
        line=4, character=8
    )  # `dense(1)`: the call that led there
    if _pulls(client):  # told to ask again: main.py's diagnostics changed without its own edit
        assert client.diagnostic_refresh_count > 0
    hover = await client.text_document_hover_async(
        _hover_params(main, lsp.Position(line=4, character=9))
    )
    assert hover is not None and "`m/w`" in hover.contents.value
    assert "fails: already exists (SL001)" in hover.contents.value
    replace_text(client, layers, 3, LAYERS_ONE)
    await wait_for(client, main, [])
    assert (project / "layers.py").read_text() == LAYERS_ONE
    # Nothing computed from unsaved text goes into the result cache: the server writes none.
    assert not (project / ".scopelint_cache").exists()


@pytest.mark.asyncio(loop_scope="module")
async def test_unsaved_module_that_is_not_linted(
    client: LanguageClient, request: pytest.FixtureRequest
):
    """A module the configuration excludes is not linted itself, yet its unsaved text, not the
    file on disk, is what the importer reads."""
    project = new_project(client, request)
    (project / "pyproject.toml").write_text(
        '[tool.scopelint]\nextend-exclude = ["names.py"]\n', encoding="utf-8"
    )
    names = open_file(project, client, "names.py", 'FIRST = "a"\nSECOND = "b"\n')
    main = open_file(project, client, "main.py", NAMES_MAIN)
    await wait_for(client, main, [])
    replace_text(client, names, 2, 'FIRST = "a"\nSECOND = "a"\n')
    (found,) = await wait_for(client, main, ["SL001"])
    assert found.range.start.line == 5 and "`m/a` already exists" in found.message
    replace_text(client, names, 3, 'FIRST = "a"\nSECOND = "b"\n')
    await wait_for(client, main, [])


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_shows_name_shape_and_first_creation(
    client: LanguageClient, request: pytest.FixtureRequest
):
    project = new_project(client, request)
    text = MODEL.replace('("\U0001f600", tf.get_variable("w", [3, 4]))', "1") + (
        'with tf.variable_scope("enc", reuse=True):\n    v = tf.get_variable("w", [3, 4])\n'
    )
    uri = open_file(project, client, "model.py", text)
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


@pytest.mark.asyncio(loop_scope="module")
async def test_noqa_action_clears_the_diagnostic(
    client: LanguageClient, request: pytest.FixtureRequest
):
    project = new_project(client, request)
    text = MODEL.replace(
        '("\U0001f600", tf.get_variable("w", [3, 4]))', 'tf.get_variable("w", [3])'
    )
    uri = open_file(project, client, "model.py", text)
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
        row[: edit.range.start.character] + edit.new_text + row[edit.range.end.character :]
    )
    fixed = "".join(lines)
    assert fixed.splitlines()[4].endswith("[3])  # noqa: SL001")
    replace_text(client, uri, 2, fixed)
    await wait_for(client, uri, [])


@pytest.mark.asyncio(loop_scope="module")
async def test_config_change_reloads(client: LanguageClient, request: pytest.FixtureRequest):
    project = new_project(client, request)
    config = project / "pyproject.toml"
    config.write_text('[tool.scopelint]\nextend-select = ["SL100"]\n', encoding="utf-8")
    text = MODEL.replace('("\U0001f600", tf.get_variable("w", [3, 4]))', "1  # noqa: SL001")
    uri = open_file(project, client, "model.py", text)
    (unused,) = await wait_for(client, uri, ["SL100"])
    assert list(unused.tags) == [lsp.DiagnosticTag.Unnecessary]
    config.write_text('[tool.scopelint]\nignore = ["SL100"]\n', encoding="utf-8")
    watches = [r for r in client.registered if r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    if watches:  # the client watches files for the server and says what changed
        client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)]
            )
        )
    else:  # Neovim watches nothing: the next check of a document reads the changed file
        assert client.capabilities.workspace.did_change_watched_files.dynamic_registration is False
        replace_text(client, uri, 2, text + "\n")
    await wait_for(client, uri, [])


def test_raw_stdio_smoke(tmp_path: Path):
    """The server over plain pipes, framed by hand: initialize, open a file, get its diagnostic,
    shut down, exit with 0."""
    process = subprocess.Popen(
        SERVER,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    model = tmp_path / "model.py"
    model.write_text(MODEL, encoding="utf-8")

    def send(message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        process.stdin.flush()

    def receive() -> dict:
        length = 0
        while line := process.stdout.readline().strip():
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(process.stdout.read(length))

    def until(test) -> dict:
        while True:
            message = receive()
            if test(message):
                return message

    try:
        send(
            {
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
            }
        )
        reply = until(lambda m: m.get("id") == 1)
        capabilities = reply["result"]["capabilities"]
        assert capabilities["hoverProvider"] and "codeActionProvider" in capabilities
        send({"method": "initialized", "params": {}})
        send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": model.as_uri(),
                        "languageId": "python",
                        "version": 1,
                        "text": MODEL,
                    }
                },
            }
        )
        published = until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        (found,) = published["params"]["diagnostics"]
        assert found["code"] == "SL001" and found["range"]["start"]["line"] == 4
        send({"id": 2, "method": "shutdown", "params": None})
        until(lambda m: m.get("id") == 2)
        send({"method": "exit", "params": None})
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
