import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentSelector } from '../selector';

const sel = documentSelector();

test('powershell, plaintext and markdown languages for file and untitled', () => {
  for (const scheme of ['file', 'untitled']) {
    for (const language of ['powershell', 'plaintext', 'markdown']) {
      assert.ok(sel.some((f) => f.scheme === scheme && f.language === language && f.pattern === undefined), `${scheme} ${language}`);
    }
  }
});

test('script and log file patterns for file and untitled', () => {
  for (const scheme of ['file', 'untitled']) {
    for (const pattern of ['**/*.ps1', '**/*.psm1', '**/*.psd1', '**/*.log']) {
      assert.ok(sel.some((f) => f.scheme === scheme && f.pattern === pattern && f.language === undefined), `${scheme} ${pattern}`);
    }
  }
});

test('every filter has a scheme, only file and untitled, no duplicates', () => {
  assert.equal(sel.length, 14);
  for (const f of sel) assert.ok(f.scheme === 'file' || f.scheme === 'untitled');
  const keys = sel.map((f) => JSON.stringify(f));
  assert.equal(new Set(keys).size, keys.length);
});

test('a fresh array each call (callers may not mutate the shared one)', () => {
  const a = documentSelector();
  a.pop();
  assert.equal(documentSelector().length, 14);
});
