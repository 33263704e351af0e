// The contributed settings and commands in package.json agree with the code.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LANGUAGES } from '../selector';
import { DEFAULT_MAX_DIAGNOSTICS, DEFAULT_SLOW_REQUEST_SECONDS, SECTION } from '../settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const props: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

test('every setting is contributed with a description and default', () => {
  const expected: Record<string, [string, unknown]> = {
    [`${SECTION}.server.path`]: ['string', ''],
    [`${SECTION}.codes.disabled`]: ['array', []],
    [`${SECTION}.severity`]: ['object', {}],
    [`${SECTION}.slowRequestSeconds`]: ['number', DEFAULT_SLOW_REQUEST_SECONDS],
    [`${SECTION}.maxDiagnostics`]: ['integer', DEFAULT_MAX_DIAGNOSTICS],
    [`${SECTION}.maxDocumentBytes`]: ['integer', 209715200],
    [`${SECTION}.locale`]: ['string', 'auto'],
    [`${SECTION}.docsPath`]: ['string', ''],
    [`${SECTION}.trace.server`]: ['string', 'off'],
  };
  assert.deepEqual(Object.keys(props).sort(), Object.keys(expected).sort());
  for (const [key, [type, def]] of Object.entries(expected)) {
    assert.equal(props[key].type, type, key);
    assert.deepEqual(props[key].default, def, key);
    assert.ok(String(props[key].markdownDescription ?? props[key].description ?? '').length > 10, `${key} has a description`);
  }
  assert.deepEqual(props[`${SECTION}.locale`].enum, ['auto', 'en', 'sv']);
  assert.deepEqual(props[`${SECTION}.trace.server`].enum, ['off', 'messages', 'verbose']);
});

test('palette commands, with redact gated by the context key', () => {
  const cmds: { command: string; title: string; category: string; enablement?: string }[] = manifest.contributes.commands;
  const titles = cmds.map((c) => `${c.category}: ${c.title}`).sort();
  assert.deepEqual(titles, [
    'freebusy-lsp: Create remediation script for this file',
    'freebusy-lsp: Explain error code...',
    'freebusy-lsp: Redact identities in this file',
    'freebusy-lsp: Restart server',
  ]);
  // Our command ids must not collide with the server's, which the language client registers.
  for (const c of cmds) assert.ok(c.command.startsWith(`${SECTION}.`), c.command);
  const redact = cmds.find((c) => c.command === `${SECTION}.redact`)!;
  assert.equal(redact.enablement, `${SECTION}.canRedact`);
  const palette: { command: string; when: string }[] = manifest.contributes.menus.commandPalette;
  assert.equal(palette.find((m) => m.command === `${SECTION}.redact`)?.when, `${SECTION}.canRedact`);
});

test('activation on every selector language, bundled entry point', () => {
  for (const lang of [...LANGUAGES, 'log']) assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`), lang);
  assert.equal(manifest.main, './dist/extension.js');
  assert.ok(manifest.engines.vscode);
});
