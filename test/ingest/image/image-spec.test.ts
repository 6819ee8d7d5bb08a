import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseImageKey, dockerfileArgDefault, dockerfileEnv, imagePaths, localBaseImage, parseBaseSpec, publicNodeImage, readBaseSpec, runtimeImage } from '../../../ingest/src/image/image-spec';

const SPEC = { node: '24.22.3', npm: '11.19.1', debian: 'bookworm' };

describe('parseBaseSpec', () => {
  it('reads the three fields', async () => {
    await expect(Promise.resolve(parseBaseSpec(JSON.stringify(SPEC), 'base.json'))).resolves.toEqual(SPEC);
  });

  it('names the file, the JSON path, the rule and the value of a bad field', async () => {
    const bad = (json: unknown): Promise<unknown> => Promise.resolve().then(() => parseBaseSpec(JSON.stringify(json), 'ingest/image/base.json'));
    await expect(bad({ ...SPEC, node: '24' })).rejects.toThrow('ingest/image/base.json: $.node must be a Node release MAJOR.MINOR.PATCH, got "24"');
    await expect(bad({ ...SPEC, debian: 12 })).rejects.toThrow('ingest/image/base.json: $.debian must be a Debian suite code name (lowercase letters), got 12');
    await expect(bad({ npm: '11.19.1', debian: 'bookworm' })).rejects.toThrow('ingest/image/base.json: $.node must be a Node release MAJOR.MINOR.PATCH, got undefined');
    await expect(bad({ ...SPEC, yarn: '1' })).rejects.toThrow('ingest/image/base.json: $.yarn is not a field (fields: node, npm, debian)');
    await expect(bad([])).rejects.toThrow('ingest/image/base.json: $ must be an object');
    await expect(Promise.resolve().then(() => parseBaseSpec('{', 'b.json'))).rejects.toThrow(/^b\.json: not JSON: /);
  });
});

describe('image names', () => {
  it('derive from the spec and the ingest package version', async () => {
    await expect(publicNodeImage(SPEC)).toBe('node:24.22.3-bookworm-slim');
    await expect(localBaseImage(SPEC)).toBe('localhost/mysimbdp-node:24.22.3-bookworm');
    const version = (JSON.parse(fs.readFileSync(imagePaths().ingestPackage, 'utf8')) as { version: string }).version;
    await expect(runtimeImage()).toBe(`localhost/mysimbdp-ingest:${version}`);
  });

  it("the Dockerfile's default NODE_IMAGE is the public image of ingest/image/base.json (one Node version)", async () => {
    const spec = readBaseSpec();
    await expect(dockerfileArgDefault(fs.readFileSync(imagePaths().dockerfile, 'utf8'), 'NODE_IMAGE')).toBe(publicNodeImage(spec));
    await expect(Number(spec.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });
});

describe('baseImageKey', () => {
  it('changes with the spec, the mirror and the script, and only with them', async () => {
    const key = baseImageKey(SPEC, 'http://m', 'script');
    await expect(key).toMatch(/^[0-9a-f]{16}$/);
    await expect(baseImageKey({ ...SPEC }, 'http://m', 'script')).toBe(key);
    const others = [baseImageKey({ ...SPEC, node: '24.22.4' }, 'http://m', 'script'), baseImageKey({ ...SPEC, debian: 'trixie' }, 'http://m', 'script'), baseImageKey(SPEC, 'http://n', 'script'), baseImageKey(SPEC, 'http://m', 'script2')];
    await expect(new Set([key, ...others]).size).toBe(5);
  });
});

describe('Dockerfile parsing', () => {
  const DOCKERFILE = [
    '# syntax=docker/dockerfile:1',
    'ARG NODE_IMAGE=node:1.2.3-x-slim',
    'ARG OTHER',
    'FROM ${NODE_IMAGE} AS build',
    'ENV A=build',
    'FROM ${NODE_IMAGE} AS runtime',
    '# a comment',
    'ENV NODE_OPTIONS="--a=1 --b" \\',
    '    # comment inside a continued instruction',
    '    MALLOC_ARENA_MAX=2 \\',
    '    EMPTY=',
    'USER 10001:10001',
  ].join('\n');

  it('reads an ARG default, undefined for an ARG without one or no such ARG', async () => {
    await expect(dockerfileArgDefault(DOCKERFILE, 'NODE_IMAGE')).toBe('node:1.2.3-x-slim');
    await expect(dockerfileArgDefault(DOCKERFILE, 'OTHER')).toBeUndefined();
    await expect(dockerfileArgDefault(DOCKERFILE, 'NONE')).toBeUndefined();
  });

  it("reads the last stage's ENV, quoted and bare values, across continuation lines", async () => {
    await expect(dockerfileEnv(DOCKERFILE)).toEqual({ NODE_OPTIONS: '--a=1 --b', MALLOC_ARENA_MAX: '2', EMPTY: '' });
  });

  it("reads the runtime image's heap caps from ingest/Dockerfile", async () => {
    const env = dockerfileEnv(fs.readFileSync(imagePaths().dockerfile, 'utf8'));
    await expect(env.NODE_OPTIONS).toContain('--max-old-space-size=48');
    await expect(env.MALLOC_ARENA_MAX).toBe('2');
  });
});
