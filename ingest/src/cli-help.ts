import { InputError } from '../../infra/errors';
import { choicesText, placeholder } from './args';
import { LOG_LEVELS } from './log';
import { COMMAND_GROUPS, COMMAND_SPECS, COMMANDS, ENGINE_ENV, GLOBAL_ENV, type CommandName, type CommandSpec, type EnvSpec, type FlagSpec } from './cli-commands';

/** Help, usage, docs/cli.md and the README's usage block, all rendered from COMMAND_SPECS. */

const WIDTH = 100;

/** Words joined into lines of at most WIDTH characters, every line after the first indented. */
function wrap(words: readonly string[], first: string, indent: string): string {
  const lines: string[] = [];
  let line = first;
  for (const word of words) {
    if (line.trim() !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line.endsWith(' ') ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

function synopsis(spec: CommandSpec): string[] {
  return Object.entries(spec.flags).map(([name, f]) => {
    const text = f.type === 'boolean' ? `--${name}` : `--${name} ${placeholder(f)}`;
    return f.required === true ? text : `[${text}]`;
  });
}

function notes(spec: FlagSpec | EnvSpec, variable: string | undefined): string {
  const parts = [
    ...('required' in spec && spec.required === true ? ['required'] : []),
    ...(variable === undefined ? [] : [`env ${variable}`]),
    ...(spec.default !== undefined ? [`default ${spec.default}`] : spec.defaultNote !== undefined ? [`default: ${spec.defaultNote}`] : []),
    ...('type' in spec || spec.choices === undefined ? [] : [choicesText(spec.choices)]),
  ];
  return parts.length === 0 ? '' : ` [${parts.join('; ')}]`;
}

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => wrap(right.split(' '), `  ${left.padEnd(width)}`, ' '.repeat(width + 2))).join('\n');
}

const envRows = (env: Readonly<Record<string, EnvSpec>>): [string, string][] => Object.entries(env).map(([name, e]) => [name, `${e.description}${notes(e, undefined)}`]);

/** `mysimbdp <command> --help`. */
export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMAND_SPECS[name];
  const sections = [
    wrap(synopsis(spec), `usage: mysimbdp ${name}`, ' '.repeat(`usage: mysimbdp ${name} `.length)),
    spec.summary,
    `options (a flag beats its environment variable, which beats the default):\n${table(
      Object.entries(spec.flags).map(([flag, f]) => [f.type === 'boolean' ? `--${flag}` : `--${flag} ${placeholder(f)}`, `${f.description}${notes(f, f.env)}`]),
    )}`,
    ...(spec.env === undefined ? [] : [`environment:\n${table(envRows(spec.env))}`]),
    ...(spec.engines === true ? [`engines (environment):\n${table(envRows(ENGINE_ENV))}`] : []),
    `global:\n${table([
      ['--verbose', 'debug log lines (same as LOG_LEVEL=debug)'],
      ['-h, --help', 'this help'],
      ...envRows(GLOBAL_ENV),
    ])}`,
    wrap(Object.entries(spec.exits).map(([code, meaning]) => `${code} ${meaning}`).join(', ').split(' '), 'exit codes:', '  '),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** `mysimbdp --help`: every command with its summary and flags. */
export function usage(): string {
  const groups = COMMAND_GROUPS.map((group) => {
    const names = COMMANDS.filter((n) => COMMAND_SPECS[n].group === group);
    const width = Math.max(...COMMANDS.map((n) => n.length)) + 3;
    return `${group}\n${names
      .map((n) => {
        const spec: CommandSpec = COMMAND_SPECS[n];
        return `  ${n.padEnd(width)}${spec.summary}\n${wrap(synopsis(spec), ' '.repeat(width + 4), ' '.repeat(width + 4))}`;
      })
      .join('\n')}`;
  });
  return [
    'usage: mysimbdp <command> [options]          (flags beat environment variables, which beat defaults)',
    ...groups,
    `global: -h, --help (also after a command: mysimbdp <command> --help), -V, --version, --verbose (= LOG_LEVEL=debug);\n  LOG_LEVEL ${LOG_LEVELS.join('|')} (default info)`,
    wrap(Object.keys(ENGINE_ENV).map((v, i, all) => (i < all.length - 1 ? `${v},` : v)), 'engines (read by the commands that connect to them):', '  '),
    'exit codes: 0 ok, 1 failure (invalid input, a file not handled), 2 usage error',
  ].join('\n\n') + '\n';
}

/** docs/cli.md (`npm run docs:cli`; test/ingest/cli-help.test.ts checks the file is current). */
export function cliReference(): string {
  const block = (text: string): string => `\`\`\`text\n${text}\`\`\`\n`;
  return [
    '# mysimbdp command line\n',
    'Generated from `ingest/src/cli-commands.ts` by `npm run docs:cli`: the same text as `mysimbdp --help` and `mysimbdp <command> --help`.\n',
    block(usage()),
    ...COMMANDS.map((n) => `## ${n}\n\n${block(commandHelp(n))}`),
  ].join('\n');
}

export const README_USAGE_START = '<!-- cli-usage:start -->';
export const README_USAGE_END = '<!-- cli-usage:end -->';

/**
 * `readme` with the text between its cli-usage markers replaced by `mysimbdp --help` in a fenced block
 * (`npm run docs:cli`; test/ingest/cli-help.test.ts checks README.md is current).
 */
export function readmeWithUsage(readme: string, file = 'README.md'): string {
  const start = readme.indexOf(README_USAGE_START);
  const end = readme.indexOf(README_USAGE_END);
  if (start === -1 || end === -1 || end < start) {
    throw new InputError(`${file}: needs the lines ${README_USAGE_START} and then ${README_USAGE_END}, between which npm run docs:cli writes the usage`, { context: { file } });
  }
  return `${readme.slice(0, start + README_USAGE_START.length)}\n\`\`\`text\n${usage()}\`\`\`\n${readme.slice(end)}`;
}
