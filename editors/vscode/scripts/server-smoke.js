// Talks LSP to a real freebusy-lsp binary the way the extension configures it: the settings from
// toServerSettings() as initializationOptions, then a settings change as the language client sends
// it (configurationSection: the raw `freebusyLsp` section). Checks that the settings take effect
// and, when the server offers them, the commands the palette uses.
// Usage: node scripts/server-smoke.js /path/to/freebusy-lsp   (after `npm run build:tests`)
'use strict';
const cp = require('child_process');
const path = require('path');
const rpc = require('vscode-jsonrpc/node');
const { toServerSettings, configFromObject } = require('../out/settings');
const { parseCodeList, serverHasCommand } = require('../out/codes');

const binary = process.argv[2];
if (!binary) {
  console.error('usage: server-smoke.js /path/to/freebusy-lsp');
  process.exit(2);
}
const TEXT = [
  '2024-05-03T07:02:19Z ERROR Failed to get ASURL. Error 8004010F.',
  'Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.',
  'Proxy web request failed, inner exception: The request failed with HTTP status 503: Service Unavailable',
  '',
].join('\n');
const URI = 'file:///tmp/freebusy-smoke/hybrid.log';

function fail(msg) {
  console.error(`server-smoke: FAILED: ${msg}`);
  process.exit(1);
}

async function main() {
  const child = cp.spawn(binary, ['--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.on('error', (e) => fail(`cannot start ${binary}: ${e.message}`));
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  let waiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== URI) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve(p.diagnostics);
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/applyEdit', () => ({ applied: true }));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => {});
  conn.listen();
  const nextDiagnostics = () =>
    new Promise((resolve, reject) => {
      waiters.push(resolve);
      setTimeout(() => reject(new Error('no diagnostics within 10 s')), 10000).unref();
    });
  const codes = (diags) => diags.map((d) => `${d.code}:${d.severity}`).sort();

  const initial = toServerSettings(configFromObject({ codes: { disabled: ['fb012'] }, severity: { FB031: 'hint' }, locale: 'auto' }));
  const init = await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: false }, textDocument: { publishDiagnostics: {} } },
    initializationOptions: initial,
  });
  conn.sendNotification('initialized', {});
  const first = nextDiagnostics();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'log', version: 1, text: TEXT } });
  let diags = await first;
  // Diagnostics may be sent again after `initialized` refreshes: take the newest within a moment.
  await new Promise((r) => setTimeout(r, 300));
  const got = codes(diags);
  console.log(`server-smoke: with ${JSON.stringify(initial)}: ${got.join(' ')}`);
  if (!diags.some((d) => d.code === 'FB026')) fail('FB026 not reported');
  if (diags.some((d) => d.code === 'FB012')) fail('FB012 reported although codes.disabled lists it');
  const fb031 = diags.find((d) => d.code === 'FB031');
  if (!fb031 || fb031.severity !== 4) fail(`FB031 not reported as a hint (severity.FB031 = "hint"): ${JSON.stringify(fb031)}`);

  // What vscode-languageclient sends with synchronize.configurationSection: the raw section.
  const raw = { server: { path: binary }, codes: { disabled: [] }, severity: {}, slowRequestSeconds: 30, locale: 'auto', trace: { server: 'off' } };
  const second = nextDiagnostics();
  conn.sendNotification('workspace/didChangeConfiguration', { settings: { freebusyLsp: raw } });
  diags = await second;
  console.log(`server-smoke: after didChangeConfiguration: ${codes(diags).join(' ')}`);
  if (!diags.some((d) => d.code === 'FB012')) fail('FB012 not reported after it was re-enabled');
  if (diags.find((d) => d.code === 'FB031')?.severity === 4) fail('FB031 still a hint after the override was removed');

  const caps = init.capabilities;
  const offered = (caps.executeCommandProvider && caps.executeCommandProvider.commands) || [];
  console.log(`server-smoke: server commands: ${offered.join(', ')}`);
  if (serverHasCommand(caps, 'freebusy.listCodes')) {
    const list = parseCodeList(await conn.sendRequest('workspace/executeCommand', { command: 'freebusy.listCodes', arguments: [] }));
    if (!list.some((e) => e.code === 'FB026')) fail('freebusy.listCodes does not list FB026');
    console.log(`server-smoke: freebusy.listCodes: ${list.length} codes`);
  }
  if (serverHasCommand(caps, 'freebusy.explain')) {
    const md = await conn.sendRequest('workspace/executeCommand', { command: 'freebusy.explain', arguments: ['FB026'] });
    if (typeof md !== 'string' || !md.includes('FB026')) fail(`freebusy.explain FB026 gave ${JSON.stringify(md).slice(0, 200)}`);
    console.log(`server-smoke: freebusy.explain FB026: ${md.length} characters of Markdown`);
  }

  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  await new Promise((r) => {
    const t = setTimeout(() => {
      child.kill();
      r();
    }, 3000);
    child.on('exit', () => {
      clearTimeout(t);
      r();
    });
  });
  conn.dispose();
  console.log(`server-smoke: OK (${path.basename(binary)})`);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
