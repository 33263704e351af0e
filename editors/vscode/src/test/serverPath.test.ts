import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundledServerPath, executableName, findOnPath, resolveServerPath, ResolveInput } from '../serverPath';

function input(files: string[], over: Partial<ResolveInput> = {}): ResolveInput {
  const set = new Set(files);
  return {
    setting: '',
    extensionPath: '/ext',
    platform: 'linux',
    envPath: '/usr/local/bin:/usr/bin',
    homeDir: '/home/u',
    workspaceFolder: '/ws',
    isFile: (p) => set.has(p),
    ...over,
  };
}

test('executable name per platform', () => {
  assert.equal(executableName('linux'), 'freebusy-lsp');
  assert.equal(executableName('darwin'), 'freebusy-lsp');
  assert.equal(executableName('win32'), 'freebusy-lsp.exe');
  assert.equal(bundledServerPath('/ext', 'linux'), '/ext/server/freebusy-lsp');
  assert.equal(bundledServerPath('C:\\ext', 'win32'), 'C:\\ext\\server\\freebusy-lsp.exe');
});

test('setting wins over bundled and PATH', () => {
  const r = resolveServerPath(
    input(['/opt/fb/freebusy-lsp', '/ext/server/freebusy-lsp', '/usr/bin/freebusy-lsp'], { setting: '/opt/fb/freebusy-lsp' }),
  );
  assert.deepEqual(r, { command: '/opt/fb/freebusy-lsp', source: 'setting', found: true });
});

test('a setting that points at nothing is reported, not silently replaced', () => {
  const r = resolveServerPath(input(['/ext/server/freebusy-lsp'], { setting: '/nope/freebusy-lsp' }));
  assert.deepEqual(r, { command: '/nope/freebusy-lsp', source: 'setting', found: false });
});

test('setting: ~ and workspace-relative paths, bare names on PATH', () => {
  assert.equal(resolveServerPath(input(['/home/u/bin/fb'], { setting: '~/bin/fb' })).command, '/home/u/bin/fb');
  assert.equal(resolveServerPath(input(['/ws/target/release/freebusy-lsp'], { setting: 'target/release/freebusy-lsp' })).command, '/ws/target/release/freebusy-lsp');
  const bare = resolveServerPath(input(['/usr/bin/my-fb'], { setting: 'my-fb' }));
  assert.deepEqual(bare, { command: '/usr/bin/my-fb', source: 'setting', found: true });
});

test('whitespace-only setting counts as empty', () => {
  const r = resolveServerPath(input(['/ext/server/freebusy-lsp'], { setting: '   ' }));
  assert.equal(r.source, 'bundled');
});

test('bundled binary wins over PATH', () => {
  const r = resolveServerPath(input(['/ext/server/freebusy-lsp', '/usr/bin/freebusy-lsp']));
  assert.deepEqual(r, { command: '/ext/server/freebusy-lsp', source: 'bundled', found: true });
});

test('PATH is searched in order when nothing is bundled', () => {
  const r = resolveServerPath(input(['/usr/local/bin/freebusy-lsp', '/usr/bin/freebusy-lsp']));
  assert.deepEqual(r, { command: '/usr/local/bin/freebusy-lsp', source: 'path', found: true });
});

test('nothing found: bare name, found false', () => {
  assert.deepEqual(resolveServerPath(input([])), { command: 'freebusy-lsp', source: 'path', found: false });
  assert.deepEqual(resolveServerPath(input([], { envPath: undefined })), { command: 'freebusy-lsp', source: 'path', found: false });
});

test('Windows: .exe, ; separator, quoted PATH entries, backslashes', () => {
  const win = { platform: 'win32', extensionPath: 'C:\\ext', envPath: 'C:\\Windows;"C:\\Tools";C:\\Users\\u\\.cargo\\bin', homeDir: 'C:\\Users\\u', workspaceFolder: 'C:\\ws' };
  assert.deepEqual(resolveServerPath(input(['C:\\ext\\server\\freebusy-lsp.exe'], win)), {
    command: 'C:\\ext\\server\\freebusy-lsp.exe',
    source: 'bundled',
    found: true,
  });
  // A binary without .exe in the bundle is not used on Windows.
  assert.equal(resolveServerPath(input(['C:\\ext\\server\\freebusy-lsp'], win)).found, false);
  assert.deepEqual(resolveServerPath(input(['C:\\Tools\\freebusy-lsp.exe'], win)), {
    command: 'C:\\Tools\\freebusy-lsp.exe',
    source: 'path',
    found: true,
  });
  assert.equal(resolveServerPath(input(['C:\\Users\\u\\.cargo\\bin\\freebusy-lsp.exe'], win)).command, 'C:\\Users\\u\\.cargo\\bin\\freebusy-lsp.exe');
  assert.deepEqual(resolveServerPath(input([], win)), { command: 'freebusy-lsp.exe', source: 'path', found: false });
  // Setting without .exe finds the .exe; ~ expands with backslashes.
  assert.equal(resolveServerPath(input(['D:\\fb\\freebusy-lsp.exe'], { ...win, setting: 'D:\\fb\\freebusy-lsp' })).command, 'D:\\fb\\freebusy-lsp.exe');
  assert.equal(resolveServerPath(input(['C:\\Users\\u\\fb.exe'], { ...win, setting: '~\\fb.exe' })).command, 'C:\\Users\\u\\fb.exe');
  // Windows PATH never splits on ':' (drive letters).
  assert.equal(findOnPath('freebusy-lsp', 'C:\\a:b', 'win32', () => false), undefined);
});
