#!/usr/bin/env node
'use strict';
// The compiled runtime in ingest/dist: tsc, then the files it does not emit, at the same relative
// paths (__dirname-relative reads work in the sources and in dist alike). The one build of the
// container image (ingest/Dockerfile) and of the compiled-CLI benchmark: `npm run build -w ingest`.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'ingest', 'dist');
/** Folders of non-TypeScript files the runtime reads, relative to the repository root, with the file endings taken. */
const ASSETS = [
  { dir: 'infra/tenant/schemas', ext: ['.json'] },
  { dir: 'ingest/src/api/console', ext: ['.html', '.css', '.js'] },
];

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'ingest', 'tsconfig.build.json')], { stdio: 'inherit' });
for (const { dir, ext } of ASSETS) {
  fs.mkdirSync(path.join(DIST, dir), { recursive: true });
  for (const name of fs.readdirSync(path.join(ROOT, dir)).filter((f) => ext.includes(path.extname(f)))) {
    fs.copyFileSync(path.join(ROOT, dir, name), path.join(DIST, dir, name));
  }
}
