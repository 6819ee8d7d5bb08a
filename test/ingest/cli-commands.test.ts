import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../ingest/src/args';
import { COMMAND_SPECS, COMMANDS, ENGINE_ENV, type CommandSpec } from '../../ingest/src/cli-commands';

const SRC = path.join(__dirname, '..', '..', 'ingest', 'src');
const source = (file: string): string => fs.readFileSync(path.join(SRC, file), 'utf8');
const specs = COMMANDS.map((name) => [name, COMMAND_SPECS[name] as CommandSpec] as const);

describe('the command table and the commands agree', () => {
  it('has one entry per module in commands/, and nothing else', async () => {
    expect(fs.readdirSync(path.join(SRC, 'commands')).map((f) => path.basename(f, '.ts')).sort()).toEqual([...COMMANDS].sort());
  });

  it.each(specs)("%s: run() parses its flags from its own entry, and reads no variable behind the table's back", async (name) => {
    const text = source(`commands/${name}.ts`);
    expect(text).toContain(`parseCommand('${name}', argv)`);
    expect(text).not.toMatch(/parseFlags\(|process\.env|\bsetting\(/);
  });

  it.each(specs)('%s: reads the engine variables exactly when its entry says so', async (name, spec) => {
    expect(source(`commands/${name}.ts`).includes('engineSettings(')).toBe(spec.engines === true);
  });

  it.each(specs)('%s: accepts every documented flag, and resolves it to the value given', async (name, spec) => {
    const argv: string[] = [];
    const expected: Record<string, string | boolean> = {};
    for (const [flag, f] of Object.entries(spec.flags)) {
      if (f.type === 'boolean') {
        argv.push(`--${flag}`);
        expected[flag] = true;
      } else {
        const value = f.choices?.[f.choices.length - 1] ?? `${flag}-value`;
        argv.push(`--${flag}`, value);
        expected[flag] = value;
      }
    }
    await expect(Promise.resolve(parseCommand(name, argv, {}).flags)).resolves.toEqual(expected);
  });

  it('ENGINE_ENV lists exactly the variables settings.ts reads for the engines', async () => {
    const text = source('settings.ts');
    const read = new Set([...text.matchAll(/'((?:KAFKA|CASSANDRA|CREDENTIALS)_[A-Z_]+)'/g), ...text.matchAll(/env\.((?:KAFKA|CASSANDRA|CREDENTIALS)_[A-Z_]+)/g)].map((m) => m[1]!));
    expect([...read].sort()).toEqual(Object.keys(ENGINE_ENV).sort());
  });
});
