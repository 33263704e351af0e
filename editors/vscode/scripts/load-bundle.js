// Loads the esbuild bundle under plain node with a stub `vscode` module and checks its exports.
// Catches a bundle that throws at load time or fails to export activate/deactivate.
// Usage: node scripts/load-bundle.js dist/extension.js   (exit 1 on any problem)
'use strict';
const Module = require('module');
const path = require('path');

// Any property is a constructible, callable stub; `then` is absent so awaiting a stub does not hang.
function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    // esbuild's __toESM copies own keys onto an object whose prototype is the module's: route
    // every other name through the prototype.
    getPrototypeOf() {
      return name === 'vscode' ? stub('vscode') : Function.prototype;
    },
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'prototype') return target.prototype;
      return stub(`${name}.${String(prop)}`);
    },
    apply() {
      return stub(`${name}()`);
    },
    construct() {
      return stub(`new ${name}`);
    },
  });
}

const originalLoad = Module._load;
let vscodeRequired = false;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') {
    vscodeRequired = true;
    return stub('vscode');
  }
  return originalLoad.call(this, request, parent, isMain);
};

const file = path.resolve(process.argv[2] || 'dist/extension.js');
let ext;
try {
  ext = require(file);
} catch (err) {
  console.error(`load-bundle: ${file} threw at load: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
}
const problems = [];
if (typeof ext.activate !== 'function') problems.push('activate is not exported');
if (typeof ext.deactivate !== 'function') problems.push('deactivate is not exported');
if (!vscodeRequired) problems.push('the bundle never required "vscode" (was it bundled in?)');
// Everything but `vscode` and node built-ins must be inside the bundle.
const outside = Object.keys(require.cache).filter((k) => k !== file && k.includes(`${path.sep}node_modules${path.sep}`));
if (outside.length) problems.push(`modules loaded from node_modules at run time: ${outside.join(', ')}`);
if (problems.length) {
  for (const p of problems) console.error(`load-bundle: ${p}`);
  process.exit(1);
}
console.log(`load-bundle: ${path.relative(process.cwd(), file)} loads; activate/deactivate exported`);
