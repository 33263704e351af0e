import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromObject, DEFAULT_MAX_DIAGNOSTICS, DEFAULT_SLOW_REQUEST_SECONDS, SECTION, toServerSettings } from '../settings';

test('section name matches the contributed settings prefix', () => {
  assert.equal(SECTION, 'freebusyLsp');
});

test('defaults: empty config gives the server defaults, no locale', () => {
  const s = toServerSettings(configFromObject({}));
  assert.deepEqual(s, {
    codes: { disabled: [] },
    severity: {},
    slowRequestSeconds: DEFAULT_SLOW_REQUEST_SECONDS,
    maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS,
  });
  assert.equal(DEFAULT_SLOW_REQUEST_SECONDS, 30);
  assert.equal(DEFAULT_MAX_DIAGNOSTICS, 2000);
  assert.equal('locale' in s, false);
});

test('values pass through, codes normalized and deduplicated', () => {
  const s = toServerSettings(
    configFromObject({
      codes: { disabled: [' fb109', 'FB090', 'FB109', 3, null, 'nonsense'] },
      severity: { fb113: 'hint', FB026: 'Warning', FB001: 'loud', FB002: 7, bogus: 'error' },
      slowRequestSeconds: 12.5,
      maxDiagnostics: 500,
      locale: 'sv',
    }),
  );
  assert.deepEqual(s, {
    codes: { disabled: ['FB109', 'FB090'] },
    severity: { FB113: 'hint', FB026: 'warning' },
    slowRequestSeconds: 12.5,
    maxDiagnostics: 500,
    locale: 'sv',
  });
});

test('bad slowRequestSeconds falls back to 30', () => {
  for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '10', null]) {
    assert.equal(toServerSettings(configFromObject({ slowRequestSeconds: v })).slowRequestSeconds, 30, String(v));
  }
});

test('bad maxDiagnostics falls back to 2000', () => {
  for (const v of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100', null]) {
    assert.equal(toServerSettings(configFromObject({ maxDiagnostics: v })).maxDiagnostics, 2000, String(v));
  }
});

test('locale: only en and sv are sent; auto and others are omitted', () => {
  assert.equal(toServerSettings(configFromObject({ locale: 'en' })).locale, 'en');
  for (const v of ['auto', 'fr', '', 1]) {
    assert.equal('locale' in toServerSettings(configFromObject({ locale: v })), false, String(v));
  }
});

test('wrong types are ignored', () => {
  const s = toServerSettings(configFromObject({ codes: { disabled: 'FB001' }, severity: ['FB001'] }));
  assert.deepEqual(s.codes.disabled, []);
  assert.deepEqual(s.severity, {});
});

test('reads dotted keys the way WorkspaceConfiguration.get does', () => {
  const calls: string[] = [];
  const config = {
    get<T>(key: string): T | undefined {
      calls.push(key);
      const values: Record<string, unknown> = { 'codes.disabled': ['FB001'], locale: 'en' };
      return values[key] as T;
    },
  };
  const s = toServerSettings(config);
  assert.deepEqual(s.codes.disabled, ['FB001']);
  assert.ok(calls.includes('codes.disabled'));
  assert.ok(calls.includes('severity'));
  assert.ok(calls.includes('slowRequestSeconds'));
  assert.ok(calls.includes('maxDiagnostics'));
  // Server-side only keys: the path and trace settings are not sent.
  assert.equal(calls.includes('server.path'), false);
  assert.equal(calls.includes('trace.server'), false);
});

test('output is JSON-serializable as sent in initializationOptions', () => {
  const s = toServerSettings(configFromObject({ codes: { disabled: ['FB001'] }, severity: { FB002: 'error' } }));
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('docsPath: a folder is sent trimmed; empty or not a string is omitted', () => {
  assert.equal(toServerSettings(configFromObject({ docsPath: ' /srv/site ' })).docsPath, '/srv/site');
  for (const v of ['', '  ', 3, null]) {
    assert.equal('docsPath' in toServerSettings(configFromObject({ docsPath: v })), false, String(v));
  }
});
