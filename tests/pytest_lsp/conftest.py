"""freebusy-lsp under pytest-lsp, impersonating the editors whose capabilities pytest-lsp recorded.

The `client` fixture starts the release binary (or $FREEBUSY_LSP) once per test and profile, and
initializes it with the profile's ClientCapabilities, as that editor would.
"""

from __future__ import annotations

import asyncio
import os
import pathlib
from dataclasses import dataclass
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pygls.protocol import default_converter
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERVER = os.environ.get("FREEBUSY_LSP") or str(ROOT / "target" / "release" / "freebusy-lsp")
TIMEOUT = 20.0


@dataclass(frozen=True)
class Profile:
    """A recorded client, and what the server should make of its capabilities."""

    spec: str  # pytest-lsp's client_capabilities() spec
    version: str  # the recorded version the spec must resolve to
    encoding: str  # negotiated positionEncoding
    pull: bool  # textDocument.diagnostic declared: the server serves pulls instead of pushing
    creates: bool  # documentChanges + resourceOperations "create": a fix creates a file
    show_document: bool  # window.showDocument.support


PROFILES = [
    Profile("visual-studio-code", "1.65.2", "utf-16", pull=False, creates=True, show_document=True),
    Profile("neovim@v0.7", "0.7.0", "utf-16", pull=False, creates=False, show_document=False),
    Profile("neovim@latest", "0.11.0", "utf-8", pull=True, creates=False, show_document=True),
    Profile("emacs", "29.1", "utf-8", pull=False, creates=False, show_document=False),
]


class Client(LanguageClient):
    """pytest-lsp's client, also keeping every publishDiagnostics with its version."""

    profile: Profile
    init_result: types.InitializeResult
    workspace: pathlib.Path

    def __init__(self):
        super().__init__(converter_factory=converter)
        self.published: list[types.PublishDiagnosticsParams] = []


def converter():
    """pygls' converter, with lsprotocol's `Command | CodeAction` hook fixed: lsprotocol 2025.0.0
    reads any object with a `command` key as a Command, so a CodeAction that carries a Command
    (the server's "Show documentation") would come back as a Command whose `command` is the
    stringified dict. A Command's `command` is a string; a CodeAction's is an object."""
    conv = default_converter()

    def command_or_action(obj, _):
        if isinstance(obj.get("command"), str):
            return conv.structure(obj, types.Command)
        return conv.structure(obj, types.CodeAction)

    conv.register_structure_hook(Union[types.Command, types.CodeAction], command_or_action)
    return conv


def _publish(client: Client, params: types.PublishDiagnosticsParams):
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def make_client() -> Client:
    """What pytest-lsp's make_test_lsp_client() builds, with our publishDiagnostics handler."""
    client = Client()
    register_lsp_features(
        client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish}
    )
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[SERVER], client_factory=make_client),
    params=PROFILES,
    ids=[p.spec for p in PROFILES],
)
async def client(request, lsp_client: Client, tmp_path: pathlib.Path):
    profile: Profile = request.param
    caps = client_capabilities(profile.spec)
    lsp_client.profile = profile
    lsp_client.workspace = tmp_path
    lsp_client.init_result = await asyncio.wait_for(
        lsp_client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
                client_info=types.ClientInfo(name=f"pytest-lsp as {profile.spec}"),
            )
        ),
        TIMEOUT,
    )
    yield
    await asyncio.wait_for(lsp_client.shutdown_session(), TIMEOUT)
    assert lsp_client._server is not None
    assert lsp_client._server.returncode == 0, "the server exits 0 after shutdown + exit"


# --- helpers ---------------------------------------------------------------------------------


def open_doc(client: Client, name: str, text: str, language_id: str = "plaintext") -> str:
    """Writes `name` into the workspace and opens it (version 1); returns its URI."""
    path = client.workspace / name
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
        )
    )
    return uri


async def diagnostics(client: Client, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics of `uri` at `version`: pulled or awaited from a push, as the profile does."""
    if client.profile.pull:
        report = await asyncio.wait_for(
            client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            ),
            TIMEOUT,
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport), report
        return list(report.items)

    async def pushed():
        while True:
            for p in reversed(client.published):
                if p.uri == uri and p.version == version:
                    return list(p.diagnostics)
            await asyncio.sleep(0.02)

    try:
        return await asyncio.wait_for(pushed(), TIMEOUT)
    except asyncio.TimeoutError:
        got = [(p.uri, p.version) for p in client.published]
        raise AssertionError(f"no publishDiagnostics for {uri} version {version}; got {got}") from None


def codes(diags) -> list[str]:
    return [d.code for d in diags]


def units(text: str, encoding: str) -> int:
    """Length of `text` in the code units of a negotiated position encoding."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    assert encoding == "utf-16"
    return len(text.encode("utf-16-le")) // 2
