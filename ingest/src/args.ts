import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../infra/errors';
import { createLogger } from './log';
import { COMMAND_SPECS, type CommandName, type CommandSpec, type EnvSpec, type FlagSpec } from './cli-commands';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses flags strictly; unknown flags and missing values are UsageErrors (exit 2). */
export function parseFlags<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

type Value<S> = S extends { readonly choices: readonly (infer C)[] } ? C : string;
type Resolved<S> = S extends { readonly default: string } | { readonly required: true } ? Value<S> : Value<S> | undefined;
type FlagValue<F> = F extends { readonly type: 'boolean' } ? boolean : Resolved<F>;
type Spec<N extends CommandName> = (typeof COMMAND_SPECS)[N];

/** A command's flags, resolved: flag, then its variable, then its default. */
export type CommandFlags<N extends CommandName> = { -readonly [K in keyof Spec<N>['flags']]: FlagValue<Spec<N>['flags'][K]> };
/** A command's environment-only settings, resolved: variable, then default. */
export type CommandEnv<N extends CommandName> = Spec<N> extends { readonly env: infer E } ? { -readonly [K in keyof E]: Resolved<E[K]> } : Record<string, never>;

/** "a or b" for two choices, "one of a, b, c" for more. */
export function choicesText(choices: readonly string[]): string {
  return choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
}

/** The placeholder of a string flag's value: its `value`, else its choices. */
export function placeholder(flag: FlagSpec): string {
  return flag.value ?? flag.choices?.join('|') ?? 'VALUE';
}

const nonEmpty = (s: string | undefined): string | undefined => (s === '' ? undefined : s);

function checkChoice(spec: FlagSpec | EnvSpec, name: string, value: string | undefined): void {
  if (value !== undefined && spec.choices !== undefined && !spec.choices.includes(value)) {
    throw new UsageError(`${name} must be ${choicesText(spec.choices)}, got "${value}"`);
  }
}

/**
 * Parses a command's argv against its entry in COMMAND_SPECS and resolves every setting (flag, then
 * variable, then default; an empty value counts as unset): a missing required setting or a value
 * outside its choices is a UsageError naming the flag (and variable).
 */
export function parseCommand<N extends CommandName>(name: N, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { flags: CommandFlags<N>; env: CommandEnv<N> } {
  const spec: CommandSpec = COMMAND_SPECS[name];
  const raw = parseFlags(argv, Object.fromEntries(Object.entries(spec.flags).map(([flag, f]) => [flag, { type: f.type }]))) as Record<string, string | boolean | undefined>;
  const flags: Record<string, string | boolean | undefined> = {};
  for (const [flag, f] of Object.entries(spec.flags)) {
    if (f.type === 'boolean') {
      flags[flag] = raw[flag] === true;
      continue;
    }
    const value = nonEmpty(raw[flag] as string | undefined) ?? nonEmpty(f.env === undefined ? undefined : env[f.env]) ?? f.default;
    if (value === undefined && f.required === true) {
      throw new UsageError(f.env === undefined ? `--${flag} ${placeholder(f)} is required` : `missing setting: pass --${flag} or set ${f.env}`);
    }
    checkChoice(f, `--${flag}`, value);
    flags[flag] = value;
  }
  const envValues: Record<string, string | undefined> = {};
  for (const [variable, e] of Object.entries(spec.env ?? {})) {
    const value = nonEmpty(env[variable]) ?? e.default;
    checkChoice(e, variable, value);
    envValues[variable] = value;
  }
  // flags only: environment-only settings may be secrets (MONITOR_TOKEN)
  createLogger({ command: name }).debug('settings', flags);
  return { flags: flags as CommandFlags<N>, env: envValues as CommandEnv<N> };
}
