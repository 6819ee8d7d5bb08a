import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../infra/errors';
import { resolveClasspath } from '../../../ingest/src/engines/maven-artifacts';

const pom = (dependencies: string): string => `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>test</groupId><artifactId>demo</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>${dependencies}</dependencies></project>`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-mvn-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function writePom(name: string, content: string): string {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  const file = path.join(dir, name, 'pom.xml');
  fs.writeFileSync(file, content);
  return file;
}

describe('resolveClasspath (runs Maven)', () => {
  it('resolves a pom with Maven once, then answers from the cached list without Maven', async () => {
    const pomFile = writePom('demo', pom('<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>1.7.36</version></dependency>'));
    const first = await resolveClasspath(pomFile, path.join(dir, 'classpath'));
    expect(first.cached).toBe(false);
    expect(first.jars).toEqual([expect.stringMatching(/\/org\/slf4j\/slf4j-api\/1\.7\.36\/slf4j-api-1\.7\.36\.jar$/)]);
    const second = await resolveClasspath(pomFile, path.join(dir, 'classpath'));
    expect(second).toMatchObject({ cached: true, jars: first.jars });
  });

  it('fails with an EngineError naming the pom and quoting Maven when the pom is broken', async () => {
    const pomFile = writePom('broken', '<project>');
    const failure = resolveClasspath(pomFile, path.join(dir, 'classpath'));
    await expect(failure).rejects.toBeInstanceOf(EngineError);
    await expect(failure).rejects.toThrow(new RegExp(`^mvn could not resolve ${pomFile} \\(exit code 1\\):\\n.*Non-readable POM ${pomFile}: no more data available`, 's'));
  });

  it('fails when a pom has no dependencies to put on a classpath', async () => {
    const pomFile = writePom('empty', pom(''));
    await expect(resolveClasspath(pomFile, path.join(dir, 'classpath'))).rejects.toThrow(/^mvn resolved no jars for .*empty\/pom\.xml \(.*empty-[0-9a-f]{16}\.txt is empty\)$/);
  });
});
