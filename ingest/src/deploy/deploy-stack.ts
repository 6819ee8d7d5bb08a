import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import { REPO_ROOT } from '../engines/engine-layout';
import { EngineError, InputError, UsageError } from '../../../infra/errors';
import { clusterLayout } from '../cluster/cluster-layout';
import { ensurePulumiBinaries, pulumiLayout, type PulumiLayout } from './pulumi-binaries';

export type DeployMode = 'up' | 'preview' | 'destroy';

/** The stack that deploys onto `npm run cluster:up`'s control plane. */
export const LOCAL_STACK = 'local';

/** Secret config every stack needs (the program reads it with requireSecret). */
export const REQUIRED_SECRETS = ['cassandraPassword', 'tenantPasswordSeed'] as const;

export interface DeployOptions {
  readonly stack: string;
  readonly mode: DeployMode;
  /** @default the repository's tenants/ */
  readonly tenantsDir?: string;
  /** Pulumi backend URL. @default `file://<cache>/state` */
  readonly backendUrl?: string;
  /** @default $PULUMI_CACHE_DIR, else `<repo>/.cache/pulumi` */
  readonly cacheDir?: string;
  /** Progress lines (builds, the engine's own output). @default none */
  readonly progress?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** One resource step of a preview or update, with the group it belongs to. */
export interface ResourceChange {
  /** Pulumi's step op: create, update, replace, delete, same, … */
  readonly op: string;
  readonly type: string;
  readonly name: string;
  /** `platform`, `operators`, a tenant's client id, or `stack`. */
  readonly group: string;
}

export interface DeployResult {
  readonly stack: string;
  readonly mode: DeployMode;
  readonly changes: readonly ResourceChange[];
  /** Resource counts by op (Pulumi's change summary). */
  readonly summary: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

/** The group of a resource: the tenant or platform component it sits under (from its URN's parent). */
export function changeGroup(urn: string, parentUrn: string | undefined): string {
  const name = (u: string): string => u.slice(u.lastIndexOf('::') + 2);
  const type = (u: string): string => {
    const parts = u.split('::');
    const qualified = parts[parts.length - 2] ?? '';
    return qualified.slice(qualified.lastIndexOf('$') + 1);
  };
  for (const u of [urn, parentUrn]) {
    if (u === undefined) continue;
    if (type(u) === 'mysimbdp:tenant:Tenant') return name(u);
    if (type(u) === 'mysimbdp:platform:Platform') return 'platform';
    if (type(u) === 'mysimbdp:platform:Operators') return 'operators';
  }
  return 'stack';
}

/** Local stack secrets, made once (random) and kept outside the repository; a key the file lacks (one added since) is made then. */
function localSecrets(layout: PulumiLayout): Record<(typeof REQUIRED_SECRETS)[number], string> {
  const file = path.join(layout.cacheDir, 'local-secrets.json');
  const kept = (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}) as Partial<Record<(typeof REQUIRED_SECRETS)[number], string>>;
  const secrets = Object.fromEntries(REQUIRED_SECRETS.map((k) => [k, kept[k] ?? randomBytes(24).toString('base64url')])) as Record<(typeof REQUIRED_SECRETS)[number], string>;
  if (REQUIRED_SECRETS.some((k) => kept[k] === undefined)) {
    fs.mkdirSync(layout.cacheDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

/**
 * Runs the Pulumi program for a stack through the Automation API with an inline program (no
 * language host needed): the CLI and provider built from the Go module proxy, the repository's
 * Pulumi.yaml and Pulumi.<stack>.yaml, a file backend unless a backend URL is given.
 */
export async function deployStack(options: DeployOptions): Promise<DeployResult> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => undefined);
  if (!fs.existsSync(path.join(REPO_ROOT, `Pulumi.${options.stack}.yaml`))) {
    throw new UsageError(`no stack file Pulumi.${options.stack}.yaml in ${REPO_ROOT}`);
  }
  const layout = pulumiLayout(options.cacheDir, env);
  const binaries = await ensurePulumiBinaries(layout, progress);
  if (!binaries.cached) progress(`pulumi ${binaries.cli} and kubernetes provider ${binaries.provider} built in ${(binaries.elapsedMs / 1000).toFixed(0)} s`);
  const local = options.stack === LOCAL_STACK;
  const kubeconfig = local ? clusterLayout(undefined, env).kubeconfig : env.KUBECONFIG;
  if (local && !fs.existsSync(kubeconfig as string)) throw new InputError(`stack local deploys onto the local control plane, and ${kubeconfig} does not exist: run \`npm run cluster:up\` first`);
  const backendUrl = options.backendUrl ?? env.PULUMI_BACKEND_URL ?? `file://${layout.stateDir}`;
  const passphrase = env.PULUMI_CONFIG_PASSPHRASE ?? (local ? 'mysimbdp-local' : undefined);
  if (backendUrl.startsWith('file://') && passphrase === undefined) {
    throw new UsageError(`stack ${options.stack} with a file backend encrypts its secrets with a passphrase: set PULUMI_CONFIG_PASSPHRASE`);
  }
  fs.mkdirSync(layout.stateDir, { recursive: true });
  fs.mkdirSync(layout.homeDir, { recursive: true });
  const tenantsDir = path.resolve(options.tenantsDir ?? path.join(REPO_ROOT, 'tenants'));
  const secrets = local ? localSecrets(layout) : undefined;

  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by deploy (CommonJS, no exports map)
  const auto = require('@pulumi/pulumi/automation') as typeof automation;
  const program = async (): Promise<Record<string, unknown>> => {
    /* eslint-disable @typescript-eslint/no-require-imports -- the program's modules load inside the Pulumi run */
    const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
    const { runFromConfig } = require('../../../infra/pulumi/program') as typeof import('../../../infra/pulumi/program');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const deployment = runFromConfig(
      { TENANTS_DIR: tenantsDir },
      secrets === undefined ? undefined : { apiTokens: pulumi.secret('{}'), cassandraPassword: pulumi.secret(secrets.cassandraPassword), tenantPasswordSeed: pulumi.secret(secrets.tenantPasswordSeed) },
    );
    return {
      platformNamespace: deployment.platform.namespace,
      tenantNamespaces: Object.fromEntries([...deployment.tenants].map(([client, component]) => [client, component.namespace])),
    };
  };
  const envVars: Record<string, string> = {
    PATH: `${layout.binDir}${path.delimiter}${env.PATH ?? ''}`,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_HOME: layout.homeDir,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    ...(passphrase === undefined ? {} : { PULUMI_CONFIG_PASSPHRASE: passphrase }),
    ...(kubeconfig === undefined ? {} : { KUBECONFIG: kubeconfig }),
  };
  const pulumiCommand = await auto.PulumiCommand.get({ root: layout.cacheDir, skipVersionCheck: true });
  const workspace = await auto.LocalWorkspace.create({ workDir: REPO_ROOT, program, pulumiCommand, envVars });
  const stack = await auto.Stack.createOrSelect(options.stack, workspace);
  if (!local) {
    const config = await stack.getAllConfig();
    const missing = REQUIRED_SECRETS.filter((key) => config[`mysimbdp:${key}`] === undefined);
    if (missing.length > 0) {
      throw new InputError(
        `stack ${options.stack} lacks secret config ${missing.map((k) => `mysimbdp:${k}`).join(', ')}: set each with \`pulumi config set --secret mysimbdp:<key> <value> --stack ${options.stack}\``,
      );
    }
  }

  const changes: ResourceChange[] = [];
  const onEvent = (event: automation.EngineEvent): void => {
    const meta = event.resourcePreEvent?.metadata;
    if (meta === undefined || meta.type === 'pulumi:pulumi:Stack' || meta.type === 'pulumi:providers:kubernetes') return;
    const state = meta.new ?? meta.old;
    changes.push({ op: meta.op, type: meta.type, name: meta.urn.slice(meta.urn.lastIndexOf('::') + 2), group: changeGroup(meta.urn, state?.parent) });
  };
  const onOutput = (out: string): void => {
    for (const line of out.split('\n')) if (line.trim() !== '') progress(line);
  };
  try {
    if (options.mode === 'preview') {
      const result = await stack.preview({ onEvent, onOutput, color: 'never' });
      return { stack: options.stack, mode: options.mode, changes, summary: result.changeSummary, elapsedMs: Date.now() - started };
    }
    const result = options.mode === 'up' ? await stack.up({ onEvent, onOutput, color: 'never' }) : await stack.destroy({ onEvent, onOutput, color: 'never' });
    return { stack: options.stack, mode: options.mode, changes, summary: (result.summary.resourceChanges ?? {}) as Record<string, number>, elapsedMs: Date.now() - started };
  } catch (err) {
    throw new EngineError(`pulumi ${options.mode} of stack ${options.stack} failed: ${(err as Error).message.split('\n').filter((l) => /error/i.test(l)).slice(0, 10).join('\n') || (err as Error).message}`, { cause: err });
  }
}

const PLANNED: Readonly<Record<string, string>> = { create: 'to create', update: 'to update', replace: 'to replace', delete: 'to delete', same: 'unchanged' };
const DONE: Readonly<Record<string, string>> = { create: 'created', update: 'updated', replace: 'replaced', delete: 'deleted', same: 'unchanged' };
const SIGN: Readonly<Record<string, string>> = { create: '+', update: '~', replace: '+-', delete: '-', 'create-replacement': '+', 'delete-replaced': '-' };

/** The result as markdown, grouped by tenant (platform and operators first): what a PR comment shows. */
export function renderDeploy(result: DeployResult): string {
  const what = { preview: 'preview', up: 'update', destroy: 'destroy' }[result.mode];
  const counts = Object.entries(result.summary)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => opRank(a) - opRank(b))
    .map(([op, n]) => `${n} ${(result.mode === 'preview' ? PLANNED : DONE)[op] ?? op}`)
    .join(', ');
  const lines = [`### pulumi ${what} of stack \`${result.stack}\`: ${counts === '' ? 'no resources' : counts} (${(result.elapsedMs / 1000).toFixed(1)} s)`];
  const groups = [...new Set(result.changes.map((c) => c.group))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const group of groups) {
    const mine = result.changes.filter((c) => c.group === group && c.op !== 'same').sort((a, b) => a.name.localeCompare(b.name));
    const same = result.changes.filter((c) => c.group === group && c.op === 'same').length;
    lines.push('', `#### ${group}${mine.length === 0 ? ` — no changes${same > 0 ? ` (${same} unchanged)` : ''}` : same > 0 ? ` (${same} unchanged)` : ''}`);
    for (const c of mine) lines.push(`- \`${SIGN[c.op] ?? c.op}\` ${c.op} ${c.type} \`${c.name}\``);
  }
  return `${lines.join('\n')}\n`;
}

const OP_ORDER = ['create', 'update', 'replace', 'delete', 'same'];
const opRank = (op: string): number => (OP_ORDER.includes(op) ? OP_ORDER.indexOf(op) : OP_ORDER.length);
const rank = (group: string): number => (group === 'stack' ? 0 : group === 'operators' ? 1 : group === 'platform' ? 2 : 3);
