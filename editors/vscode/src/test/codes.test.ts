import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCodeList, serverHasCommand, toPickItems } from '../codes';

test('listCodes answer becomes sorted quick-pick items', () => {
  const entries = parseCodeList([
    { code: 'FB031', id: 'proxy-503', title: 'Proxy web request failed: 503' },
    { code: 'FB026', id: 'asurl-8004010f', title: 'Failed to get ASURL. Error 8004010F' },
    { id: 'no-code' },
    null,
    'FB001',
    { code: 'FB101', title: 'SMTP certificate prompt' },
  ]);
  assert.deepEqual(entries.map((e) => e.code), ['FB026', 'FB031', 'FB101']);
  const items = toPickItems(entries);
  assert.deepEqual(items[0], { label: 'FB026', description: 'Failed to get ASURL. Error 8004010F', detail: 'asurl-8004010f', code: 'FB026' });
  assert.equal(items[2].detail, undefined);
});

test('non-array answers give no items', () => {
  for (const v of [null, undefined, {}, 'x', 3]) assert.deepEqual(parseCodeList(v), []);
});

test('serverHasCommand reads executeCommandProvider.commands', () => {
  const caps = { executeCommandProvider: { commands: ['freebusy.showDocumentation', 'freebusy.redact'] } };
  assert.equal(serverHasCommand(caps, 'freebusy.redact'), true);
  assert.equal(serverHasCommand(caps, 'freebusy.explain'), false);
  assert.equal(serverHasCommand({}, 'freebusy.redact'), false);
  assert.equal(serverHasCommand(undefined, 'freebusy.redact'), false);
  assert.equal(serverHasCommand({ executeCommandProvider: {} }, 'freebusy.redact'), false);
});
