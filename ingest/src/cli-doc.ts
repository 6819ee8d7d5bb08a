// `npm run docs:cli`: writes docs/cli.md from the command table (test/ingest/cli-help.test.ts checks it is current).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliReference } from './cli-help';

fs.writeFileSync(path.join(__dirname, '..', '..', 'docs', 'cli.md'), cliReference());
