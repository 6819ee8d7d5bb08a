import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, COMMANDS, ENGINE_ENV, type CommandSpec } from '../../ingest/src/cli-commands';
import { cliReference, commandHelp, readmeWithUsage, usage } from '../../ingest/src/cli-help';

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

describe('README.md', () => {
  it('shows the generated usage between its cli-usage markers (npm run docs:cli)', async () => {
    const readme = await fs.promises.readFile(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toBe(readmeWithUsage(readme));
  });

  it('replaces only the text between the markers', async () => {
    const before = 'intro\n<!-- cli-usage:start -->\nstale\n<!-- cli-usage:end -->\nrest\n';
    await expect(readmeWithUsage(before)).toBe(`intro\n<!-- cli-usage:start -->\n\`\`\`text\n${usage()}\`\`\`\n<!-- cli-usage:end -->\nrest\n`);
  });

  it('refuses a README without both markers, naming the file and the markers', async () => {
    expect(() => readmeWithUsage('intro\n<!-- cli-usage:end -->\n<!-- cli-usage:start -->\n', 'X.md')).toThrow(
      'X.md: needs the lines <!-- cli-usage:start --> and then <!-- cli-usage:end -->, between which npm run docs:cli writes the usage',
    );
  });
});
