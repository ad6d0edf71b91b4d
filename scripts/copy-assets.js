// Copies the non-TypeScript parts of the package (element folders' JSON, pages, schemas, simulator
// orgs) next to the compiled JavaScript, so dist/ holds a complete platform app and simulator.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
// The build's output folder: dist/, or the folder given (a test stages a package elsewhere).
const dist = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'dist');
const ASSET = /\.(json|html|css|svg|png|txt|js)$/;

function copyTree(from, to) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst);
    else if (ASSET.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

for (const dir of ['elements', 'schemas', 'sim', 'runtime/http', 'apps']) copyTree(path.join(root, dir), path.join(dist, dir));
const main = path.join(dist, 'cli', 'main.js');
if (fs.existsSync(main)) fs.chmodSync(main, 0o755);
