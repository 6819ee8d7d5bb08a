// `npm run docs:cli`: writes docs/cli.md and the README's usage block from the command table
// (test/ingest/cli-help.test.ts checks both are current).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliReference, readmeWithUsage } from './cli-help';

const root = path.join(__dirname, '..', '..');
fs.writeFileSync(path.join(root, 'docs', 'cli.md'), cliReference());
const readme = path.join(root, 'README.md');
fs.writeFileSync(readme, readmeWithUsage(fs.readFileSync(readme, 'utf8')));
