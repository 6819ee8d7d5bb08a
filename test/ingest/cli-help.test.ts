import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, COMMANDS, ENGINE_ENV, type CommandSpec } from '../../ingest/src/cli-commands';
import { cliReference, commandHelp, usage } from '../../ingest/src/cli-help';

const specs = COMMANDS.map((name) => [name, COMMAND_SPECS[name] as CommandSpec] as const);
/** Help text with line wrapping undone, so that a long note split over two lines still matches. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

describe('mysimbdp <command> --help', () => {
  it.each(specs)('%s: lists every flag with its placeholder, variable, default and choices', async (name, spec) => {
    const help = flat(commandHelp(name));
    for (const [flag, f] of Object.entries(spec.flags)) {
      const shown = f.type === 'boolean' ? `--${flag}` : `--${flag} ${f.value ?? f.choices?.join('|')}`;
      // the usage line: optional flags in brackets
      expect(help.includes(`[${shown}]`)).toBe(f.required !== true);
      expect(help).toContain(` ${shown} ${f.description}`);
      if (f.env !== undefined) expect(help).toContain(`env ${f.env}`);
      if (f.default !== undefined) expect(help).toContain(`default ${f.default}`);
      if (f.defaultNote !== undefined) expect(help).toContain(`default: ${f.defaultNote}`);
      if (f.required === true) expect(help).toMatch(new RegExp(`${f.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[required`));
    }
  });

  it.each(specs)('%s: lists the variables it reads (its own, the engines\' when it connects, LOG_LEVEL) and its exit codes', async (name, spec) => {
    const help = flat(commandHelp(name));
    for (const variable of Object.keys(spec.env ?? {})) expect(help).toContain(` ${variable} `);
    for (const variable of Object.keys(ENGINE_ENV)) expect(help.includes(` ${variable} `)).toBe(spec.engines === true);
    expect(help).toContain(' LOG_LEVEL ');
    expect(help).toContain(' --verbose ');
    for (const [code, meaning] of Object.entries(spec.exits)) expect(help).toContain(`${code} ${meaning}`);
  });
});

describe('mysimbdp --help', () => {
  it('lists every command with its summary and every flag', async () => {
    const text = flat(usage());
    for (const [name, spec] of specs) {
      expect(text).toContain(` ${name} ${spec.summary} `);
      for (const flag of Object.keys(spec.flags)) expect(text).toContain(`--${flag}`);
    }
  });
});

describe('docs/cli.md', () => {
  it('is the generated help (npm run docs:cli)', async () => {
    const file = path.join(__dirname, '..', '..', 'docs', 'cli.md');
    await expect(fs.promises.readFile(file, 'utf8')).resolves.toBe(cliReference());
  });
});
