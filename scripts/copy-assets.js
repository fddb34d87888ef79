// Node-RED looks for a node's editor .html, locales/ and icons/ next to the built .js
// (registry/lib/localfilesystem.js), so they are copied beside each compiled node.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const nodesSrc = path.join(root, 'nodes');
const nodesOut = path.join(root, 'dist', 'nodes');

for (const name of fs.readdirSync(nodesSrc)) {
  const srcDir = path.join(nodesSrc, name);
  if (!fs.statSync(srcDir).isDirectory()) continue;
  const htmlFiles = fs.readdirSync(srcDir).filter((entry) => entry.endsWith('.html'));
  if (htmlFiles.length === 0) continue; // shared runtime code, not a node
  const outDir = path.join(nodesOut, name);
  fs.mkdirSync(outDir, { recursive: true });
  for (const entry of htmlFiles) fs.copyFileSync(path.join(srcDir, entry), path.join(outDir, entry));
  const locales = path.join(srcDir, 'locales');
  if (fs.existsSync(locales)) fs.cpSync(locales, path.join(outDir, 'locales'), { recursive: true });
  const icons = path.join(root, 'icons');
  if (fs.existsSync(icons)) fs.cpSync(icons, path.join(outDir, 'icons'), { recursive: true });
}
