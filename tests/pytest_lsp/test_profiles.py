"""The protocol as recorded editors speak it: each test runs once per client profile."""

from __future__ import annotations

import asyncio

from conftest import TIMEOUT, Client, codes, diagnostics, open_doc, units
from lsprotocol import types
from pytest_lsp import client_capabilities

LOG = """\
2024-05-01 10:00:01 INFO  availability lookup for zoë.åkesson@contoso.com started
2024-05-01 10:00:02 ERROR Free/busy: Failed to get ASURL. Error 8004010F.
2024-05-01 10:00:03 INFO  retrying
2024-05-01 10:00:04 ERROR [🙂 zoë] Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.
2024-05-01 10:00:05 INFO  retry scheduled
2024-05-01 10:00:06 ERROR Proxy web request failed, inner exception: The request failed with HTTP status 503: Service Unavailable
2024-05-01 10:00:07 INFO  done
"""
LINES = LOG.splitlines()
FB012_LINE = 3
FB012_AT = LINES[FB012_LINE].index("OAuthTokenRequestFailedException")


def pos(line: int, col: int, encoding: str, lines=LINES) -> types.Position:
    """Position of character `col` of `line`, in the negotiated encoding's units."""
    return types.Position(line=line, character=units(lines[line][:col], encoding))


def end_of(text: str, encoding: str) -> types.Position:
    lines = text.split("\n")
    return types.Position(line=len(lines) - 1, character=units(lines[-1], encoding))


def apply_text_edits(text: str, edits, encoding: str) -> str:
    """Applies TextEdits (positions in `encoding`) to `text`, last first."""
    def offset(p: types.Position) -> int:
        lines = text.split("\n")
        start = sum(len(line) + 1 for line in lines[: p.line])
        line, used, col = lines[p.line] if p.line < len(lines) else "", 0, 0
        while col < len(line) and used < p.character:
            used += units(line[col], encoding)
            col += 1
        return start + col

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_initialize_fits_the_profile(client: Client):
    p, caps = client.profile, client.capabilities
    assert caps is not None
    # The table in conftest.py says what the pinned pytest-lsp's recording declares.
    name = p.spec.split("@")[0]
    assert client_capabilities(f"{name}@v{p.version}") == caps, f"{p.spec} is not v{p.version}"
    offered = (caps.general and caps.general.position_encodings) or []
    assert p.encoding == ("utf-8" if types.PositionEncodingKind.Utf8 in offered else "utf-16")
    assert p.pull == (caps.text_document is not None and caps.text_document.diagnostic is not None)
    we = caps.workspace and caps.workspace.workspace_edit
    assert p.creates == bool(
        we and we.document_changes and types.ResourceOperationKind.Create in (we.resource_operations or [])
    )
    sd = caps.window and caps.window.show_document
    assert p.show_document == bool(sd and sd.support)

    server = client.init_result.capabilities
    assert server.position_encoding == p.encoding
    assert (server.diagnostic_provider is not None) == p.pull
    if p.pull:
        assert server.diagnostic_provider.identifier == "freebusy-lsp"
    sync = server.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.open_close and sync.change == types.TextDocumentSyncKind.Incremental
    assert server.hover_provider
    assert server.completion_provider and list(server.completion_provider.trigger_characters) == ["-"]
    assert "freebusy.showDocumentation" in server.execute_command_provider.commands
    assert client.init_result.server_info.name == "freebusy-lsp"


async def test_diagnostics_on_a_log(client: Client):
    enc = client.profile.encoding
    uri = open_doc(client, "trace.log", LOG)
    diags = await diagnostics(client, uri, 1)
    assert codes(diags) == ["FB026", "FB012", "FB031"]
    for d in diags:
        assert d.source == "freebusy-lsp"
        assert d.severity == types.DiagnosticSeverity.Error
        assert d.code_description and d.code_description.href.startswith("https://")
        assert d.data["code"] == d.code
    fb012 = diags[1]
    assert fb012.range.start == pos(FB012_LINE, FB012_AT, enc), "start after 🙂/ë in the negotiated units"
    assert fb012.range.end == pos(FB012_LINE, len(LINES[FB012_LINE]) - 1, enc)

    # Delete the FB026 line: FB026 goes, the others move up a line.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(start=pos(1, 0, enc), end=pos(2, 0, enc)), text="")
            ],
        )
    )
    diags = await diagnostics(client, uri, 2)
    assert codes(diags) == ["FB012", "FB031"]
    assert diags[0].range.start.line == FB012_LINE - 1

    if client.profile.pull:
        await asyncio.sleep(0.3)
        pushed = [p for p in client.published if p.uri == uri and p.diagnostics]
        assert not pushed, "a pull client gets no pushed diagnostics"


async def test_incremental_edit_in_the_negotiated_encoding(client: Client):
    """An insertion right after the astral character: positions must be counted in the negotiated units."""
    enc = client.profile.encoding
    uri = open_doc(client, "trace.log", LOG)
    await diagnostics(client, uri, 1)
    emoji_end = LINES[FB012_LINE].index("🙂") + 1
    at = pos(FB012_LINE, emoji_end, enc)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text="→x")],
        )
    )
    diags = await diagnostics(client, uri, 2)
    assert codes(diags) == ["FB026", "FB012", "FB031"]
    line = LINES[FB012_LINE][:emoji_end] + "→x" + LINES[FB012_LINE][emoji_end:]
    assert diags[1].range.start == types.Position(
        line=FB012_LINE, character=units(line[: line.index("OAuthTokenRequestFailedException")], enc)
    )


async def test_hover_card(client: Client):
    enc = client.profile.encoding
    uri = open_doc(client, "trace.log", LOG)
    await diagnostics(client, uri, 1)
    hover = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=pos(FB012_LINE, FB012_AT + 10, enc)
            )
        ),
        TIMEOUT,
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    formats = client.capabilities.text_document.hover.content_format
    assert hover.contents.kind == formats[0] == types.MarkupKind.Markdown
    assert "FB012" in hover.contents.value
    assert "Set-AuthConfig -PublishCertificate" in hover.contents.value
    # Off any finding: nothing.
    none = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(2, 3, enc))
    )
    assert none is None


async def test_code_actions_and_remediation(client: Client):
    p, enc = client.profile, client.profile.encoding
    uri = open_doc(client, "trace.log", LOG)
    diags = await diagnostics(client, uri, 1)
    fb012 = diags[1]
    actions = await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=fb012.range,
                context=types.CodeActionContext(diagnostics=[fb012]),
            )
        ),
        TIMEOUT,
    )
    assert actions, "code actions for FB012"
    fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix and a.edit]
    fix = next(a for a in fixes if a.title.startswith("FB012: "))
    assert fix.diagnostics and fix.diagnostics[0].code == "FB012"
    script_uri = (client.workspace / "trace.remediation.ps1").as_uri()

    if p.creates:
        # The profile can create files: documentChanges, a create op, then the script's text.
        assert fix.edit.changes is None
        create, fill = fix.edit.document_changes[:2]
        assert isinstance(create, types.CreateFile) and create.kind == "create"
        assert create.uri == script_uri
        assert isinstance(fill, types.TextDocumentEdit) and fill.text_document.uri == script_uri
        script = "".join(e.new_text for e in fill.edits)
        assert "New-ExchangeCertificate" in script
        assert "Set-AuthConfig -ClearPreviousCertificate" in script
    else:
        # Fallback: an edit of the log itself, appended at its end.
        assert fix.edit.document_changes is None
        assert list(fix.edit.changes) == [uri]
        edits = fix.edit.changes[uri]
        assert all(e.range.start == end_of(LOG, enc) for e in edits)
        after = apply_text_edits(LOG, edits, enc)
        assert after.startswith(LOG)
        assert "Set-AuthConfig -PublishCertificate" in after[len(LOG) :]
        # Apply it as the editor would: the log keeps its three findings, the fix adds none.
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits
                ],
            )
        )
        assert codes(await diagnostics(client, uri, 2)) == ["FB026", "FB012", "FB031"]

    # "Show documentation": window/showDocument if the profile supports it, else a message.
    doc = next(a for a in actions if isinstance(a, types.CodeAction) and a.title == "FB012: Show documentation")
    assert doc.command.command == "freebusy.showDocumentation"
    await asyncio.wait_for(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=doc.command.command, arguments=doc.command.arguments)
        ),
        TIMEOUT,
    )
    if p.show_document:
        assert len(client.shown_documents) == 1
        shown = client.shown_documents[0]
        assert shown.external and shown.uri.startswith("https://") and "#" in shown.uri
    else:
        assert not client.shown_documents
        # The message is a notification: it may arrive just after the command's response.
        for _ in range(100):
            if any("https://" in m.message for m in client.messages):
                break
            await asyncio.sleep(0.05)
        assert any("https://" in m.message for m in client.messages), client.messages


async def completion_labels(client: Client, uri: str, version: int, line: str, trigger: str | None):
    """Replaces the script with `line` (cursor at `|`) and asks for completion at the cursor."""
    enc = client.profile.encoding
    col = line.index("|")
    text = line.replace("|", "")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    cursor = types.Position(line=0, character=units(text[:col], enc))
    context = (
        types.CompletionContext(trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character=trigger)
        if trigger
        else types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked)
    )
    result = await asyncio.wait_for(
        client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=cursor, context=context
            )
        ),
        TIMEOUT,
    )
    items = result.items if isinstance(result, types.CompletionList) else (result or [])
    for item in items:
        edit = item.text_edit
        if edit is not None:
            rng = edit.range if isinstance(edit, types.TextEdit) else edit.insert
            assert rng.end == cursor, f"{item.label}: the edit ends at the cursor"
    return [i.label for i in items]


async def test_completion_in_a_powershell_script(client: Client):
    uri = open_doc(client, "remediate.ps1", "", language_id="powershell")
    labels = await completion_labels(client, uri, 2, "Test-OAuthConnectivity -Serv|", None)
    assert "-Service" in labels and "-Mailbox" not in labels, labels
    # After non-ASCII text on the line, the cursor is counted in the negotiated units.
    labels = await completion_labels(client, uri, 3, "$who = 'zoë 🙂'; Test-OAuthConnectivity -Serv|", None)
    assert "-Service" in labels, labels
    labels = await completion_labels(client, uri, 4, "Set-AuthConfig -PublishCertificate -|", "-")
    assert "-ClearPreviousCertificate" in labels and "-PublishCertificate" not in labels, labels
    labels = await completion_labels(client, uri, 5, "Test-OAuthConnectivity -Service |", None)
    assert {"EWS", "AutoD"} <= set(labels), labels
