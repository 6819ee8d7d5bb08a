#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources through tsx so a fresh `npm ci` needs no build step;
// the container image runs the compiled dist/ instead (see ingest/Dockerfile).
require('tsx/cjs');
require('../src/cli.ts').runCli(process.argv.slice(2));
