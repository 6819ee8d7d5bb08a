import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../helpers/cli';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { needs?: string; env?: Record<string, string>; steps: Step[] }>;
}

const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, '.github/workflows/pr.yml'), 'utf8')) as Workflow;
const steps = (job: string): Step[] => workflow.jobs[job]?.steps ?? [];
const runs = (job: string): string => steps(job).map((s) => s.run ?? '').join('\n');

describe('.github/workflows/pr.yml', () => {
  it('runs on pull requests and may comment on them', async () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('validates, tests, synthesizes every stack and diffs against the base branch, with full history', async () => {
    expect(steps('check')[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    const order = ['npm ci', 'npx mysimbdp validate --base "$BASE_REF"', 'npm test', 'npx mysimbdp synth --stack "$stack" --out', 'npx mysimbdp diff --base "$BASE_REF" --stack "$stack"'];
    const text = runs('check');
    const positions = order.map((cmd) => text.indexOf(cmd));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('posts the diff file as one sticky comment, only from branches of this repository', async () => {
    const comment = steps('check').find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment'));
    expect(comment?.with).toEqual({ header: 'mysimbdp-manifest-diff', path: 'manifest-diff.md' });
    expect(comment?.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(runs('check')).toContain('> manifest-diff.md');
  });

  it('previews with Pulumi for real: the configured cluster with credentials, else a local control plane', async () => {
    const preview = workflow.jobs.preview;
    expect(preview?.needs).toBe('check');
    expect(preview?.env).toMatchObject({ PULUMI_ACCESS_TOKEN: '${{ secrets.PULUMI_ACCESS_TOKEN }}', KUBECONFIG_DATA: '${{ secrets.KUBECONFIG }}' });
    const [gate] = steps('preview');
    expect(gate?.run).toContain('if [ -n "$PULUMI_ACCESS_TOKEN" ] && [ -n "$KUBECONFIG_DATA" ]; then');
    const cloud = steps('preview').find((s) => s.if === "steps.creds.outputs.enabled == 'true'");
    const local = steps('preview').find((s) => s.if === "steps.creds.outputs.enabled != 'true'");
    expect(cloud?.run).toContain('npx mysimbdp deploy --stack "$stack" --preview --backend https://api.pulumi.com');
    const order = ['npm run cluster:up', 'git archive "$BASE_REF" tenants', 'npx mysimbdp deploy --stack local --tenants "$RUNNER_TEMP/base/tenants"', 'npx mysimbdp deploy --stack local --preview > pulumi-preview.md', 'npm run cluster:down'];
    const positions = order.map((cmd) => local?.run?.indexOf(cmd) ?? -1);
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const comment = steps('preview').find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment'));
    expect(comment?.with).toEqual({ header: 'mysimbdp-pulumi-preview', path: 'pulumi-preview.md' });
  });
});
