// Lists a .vsix (a zip) with yauzl (a dependency of @vscode/vsce) and checks what it must hold.
// Usage: node scripts/verify-vsix.js freebusy-lsp.vsix [--with-server]   (exit 1 on any problem)
// --with-server: the .vsix must carry the server binary (extension/server/freebusy-lsp[.exe]).
'use strict';
const yauzl = require('yauzl');

const file = process.argv[2];
const withServer = process.argv.includes('--with-server');
if (!file) {
  console.error('usage: verify-vsix.js FILE.vsix');
  process.exit(2);
}

yauzl.open(file, { lazyEntries: true }, (err, zip) => {
  if (err) {
    console.error(`verify-vsix: cannot open ${file}: ${err.message}`);
    process.exit(1);
  }
  const entries = [];
  zip.on('entry', (e) => {
    entries.push({ name: e.fileName, size: e.uncompressedSize });
    zip.readEntry();
  });
  zip.on('error', (e) => {
    console.error(`verify-vsix: ${e.message}`);
    process.exit(1);
  });
  zip.on('end', () => {
    for (const e of entries) console.log(`${String(e.size).padStart(10)}  ${e.name}`);
    const names = new Set(entries.map((e) => e.name));
    const problems = [];
    for (const required of [
      'extension.vsixmanifest',
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/readme.md',
      'extension/LICENSE.txt',
    ]) {
      const found = names.has(required) || [...names].some((n) => n.toLowerCase() === required.toLowerCase());
      if (!found) problems.push(`missing ${required}`);
    }
    const js = entries.find((e) => e.name === 'extension/dist/extension.js');
    if (js && js.size < 10000) problems.push(`extension/dist/extension.js is only ${js.size} bytes: not bundled?`);
    for (const n of names) {
      if (n.startsWith('extension/node_modules/')) problems.push(`node_modules shipped: ${n}`);
      if (n.startsWith('extension/src/') || n.startsWith('extension/out/')) problems.push(`sources shipped: ${n}`);
    }
    const server = entries.find((e) => /^extension\/server\/freebusy-lsp(\.exe)?$/.test(e.name));
    if (withServer && !server) problems.push('missing extension/server/freebusy-lsp: the server is not bundled');
    if (server && server.size < 100000) problems.push(`${server.name} is only ${server.size} bytes`);
    if (problems.length) {
      for (const p of problems) console.error(`verify-vsix: ${p}`);
      process.exit(1);
    }
    console.log(`verify-vsix: ${file}: ${entries.length} entries, extension/dist/extension.js present`);
  });
  zip.readEntry();
});
