import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../engines/engine-layout';
import { ensureGoBinaries, goModVersion, type GoBuildSpec } from '../cluster/go-build';

/** Where `deploy` keeps the Pulumi CLI and provider, the file backend's state and PULUMI_HOME. */
export interface PulumiLayout {
  readonly cacheDir: string;
  /** `pulumi` and `pulumi-resource-kubernetes` (the Automation API looks for `<cacheDir>/bin/pulumi`). */
  readonly binDir: string;
  /** The default backend: `file://<stateDir>`. */
  readonly stateDir: string;
  readonly homeDir: string;
  readonly cliModuleDir: string;
  readonly providerModuleDir: string;
}

/** The layout under `cacheDir`, else $PULUMI_CACHE_DIR (@default `<repo>/.cache/pulumi`). */
export function pulumiLayout(cacheDir?: string, env: NodeJS.ProcessEnv = process.env): PulumiLayout {
  const dir = path.resolve(cacheDir ?? env.PULUMI_CACHE_DIR ?? path.join(REPO_ROOT, '.cache', 'pulumi'));
  return {
    cacheDir: dir,
    binDir: path.join(dir, 'bin'),
    stateDir: path.join(dir, 'state'),
    homeDir: path.join(dir, 'home'),
    cliModuleDir: path.join(REPO_ROOT, 'ingest', 'pulumi', 'cli'),
    providerModuleDir: path.join(REPO_ROOT, 'ingest', 'pulumi', 'provider'),
  };
}

const PROVIDER_MODULE = 'github.com/pulumi/pulumi-kubernetes/provider/v4';
const PROVIDER_MAIN = path.join('cmd', 'pulumi-resource-kubernetes');

/** The Pulumi CLI version (github.com/pulumi/pulumi/pkg/v3) and the kubernetes provider's (its SDK's release). */
export function pulumiVersions(layout: PulumiLayout): { readonly cli: string; readonly provider: string } {
  return {
    cli: goModVersion(layout.cliModuleDir, 'github.com/pulumi/pulumi/pkg/v3'),
    provider: goModVersion(layout.providerModuleDir, 'github.com/pulumi/pulumi-kubernetes/sdk/v4'),
  };
}

function cliBuild(layout: PulumiLayout): GoBuildSpec {
  const { cli } = pulumiVersions(layout);
  return {
    id: 'pulumi-cli',
    title: `the Pulumi CLI ${cli}`,
    moduleDir: layout.cliModuleDir,
    binDir: layout.binDir,
    binaries: [{ name: 'pulumi', pkg: 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi' }],
    ldflags: `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${cli}`,
    keyFiles: [],
  };
}

function providerBuild(layout: PulumiLayout): GoBuildSpec {
  const { provider } = pulumiVersions(layout);
  const plain = provider.replace(/^v/, '');
  return {
    id: 'pulumi-provider',
    title: `the Pulumi kubernetes provider ${provider}`,
    moduleDir: layout.providerModuleDir,
    binDir: layout.binDir,
    binaries: [{ name: 'pulumi-resource-kubernetes', pkg: `./${PROVIDER_MAIN}` }],
    ldflags: `-s -w -X ${PROVIDER_MODULE}/pkg/version.Version=${plain}`,
    keyFiles: [path.join(PROVIDER_MAIN, 'main.go')],
    // The provider's main embeds its schema (with .version set, as its own build does) and its
    // Terraform mapping: both are files of the provider module, copied beside our main.
    prepare: () => {
      const { Dir: moduleDir } = JSON.parse(execFileSync('go', ['mod', 'download', '-json', PROVIDER_MODULE], { cwd: layout.providerModuleDir, encoding: 'utf8' })) as { Dir: string };
      const from = path.join(moduleDir, PROVIDER_MAIN);
      const to = path.join(layout.providerModuleDir, PROVIDER_MAIN);
      const schema = JSON.parse(fs.readFileSync(path.join(from, 'schema.json'), 'utf8')) as { version?: string };
      schema.version = plain;
      fs.writeFileSync(path.join(to, 'schema-embed.json'), JSON.stringify(schema));
      fs.writeFileSync(path.join(to, 'terraform-mapping.json'), fs.readFileSync(path.join(from, 'terraform-mapping.json')));
    },
  };
}

export interface PulumiBinariesOutcome {
  readonly cached: boolean;
  readonly cli: string;
  readonly provider: string;
  readonly elapsedMs: number;
}

/** `pulumi` and `pulumi-resource-kubernetes` under `<cache>/bin`, built from the Go module proxy when missing or stale. */
export async function ensurePulumiBinaries(layout: PulumiLayout, progress: (line: string) => void): Promise<PulumiBinariesOutcome> {
  const started = Date.now();
  const cli = await ensureGoBinaries(cliBuild(layout), progress);
  const provider = await ensureGoBinaries(providerBuild(layout), progress);
  return { cached: cli.cached && provider.cached, ...pulumiVersions(layout), elapsedMs: Date.now() - started };
}
