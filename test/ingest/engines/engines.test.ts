import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineCredentials } from '../../../infra/credentials';
import { EngineError } from '../../../infra/errors';
import type { EngineServer } from '../../../ingest/src/engines/engine-server';
import { engineLayout } from '../../../ingest/src/engines/engine-layout';
import { allOrNothing, awaitAnswer, ensureEngine, type EngineOutcome } from '../../../ingest/src/engines/engines';
import { isAlive, startDetached } from '../../../ingest/src/engines/process-control';

const PLATFORM: EngineCredentials = {
  kafka: { bootstrap: '127.0.0.1:1', mechanism: 'scram-sha-512', username: 'mysimbdp', password: 'pw' },
  cassandra: { contact_points: '127.0.0.1:2', local_dc: 'dc', username: 'mysimbdp', password: 'pw' },
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-wait-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An engine whose probe answers once `answersAfter` probes have been made (never by default). */
function fakeServer(startTimeoutMs: number, answersAfter = Infinity, ports: readonly number[] = []): EngineServer {
  let probes = 0;
  return {
    name: 'kafka',
    endpoint: '127.0.0.1:1',
    ports,
    startTimeoutMs,
    probe: async () => (++probes > answersAfter ? 'fake 1.0' : undefined),
    prepare: async () => [],
  };
}

function launch(script: string): { pid: number; logFile: string } {
  const logFile = path.join(dir, 'engine.log');
  const pid = startDetached({ name: 'fake', command: 'sh', args: ['-c', script], cwd: dir, logFile, pidFile: path.join(dir, 'engine.pid') });
  return { pid, logFile };
}

describe('awaitAnswer', () => {
  it('resolves with what the engine answered once it answers', async () => {
    const { pid } = launch('exec sleep 30');
    await expect(awaitAnswer(fakeServer(10_000, 2), PLATFORM, pid, path.join(dir, 'engine.log'))).resolves.toBe('fake 1.0');
    process.kill(pid, 'SIGKILL');
  });

  it('fails at once with the log tail when the process exits during start-up', async () => {
    const { pid, logFile } = launch('echo "Error: Could not find or load main class NoSuchMain"; exit 1');
    const failure = awaitAnswer(fakeServer(30_000), PLATFORM, pid, logFile);
    await expect(failure).rejects.toBeInstanceOf(EngineError);
    await expect(failure).rejects.toThrow(
      new RegExp(`^kafka \\(pid ${pid}\\) exited during start-up; last lines of ${logFile}:\\n\\n==== .*\\nError: Could not find or load main class NoSuchMain\\n$`),
    );
  });

  it('stops a process that does not answer in time and fails with its log tail', async () => {
    const { pid, logFile } = launch('echo still starting; exec sleep 30');
    await expect(awaitAnswer(fakeServer(1000), PLATFORM, pid, logFile)).rejects.toThrow(
      new RegExp(`^kafka \\(pid ${pid}\\) did not answer at 127\\.0\\.0\\.1:1 within 1\\.0 s and was stopped; last lines of ${logFile}:\\n\\n==== .*\\nstill starting\\n$`),
    );
    expect(isAlive(pid)).toBe(false);
  });
});

describe('ensureEngine', () => {
  it('reuses an engine that answers, without starting anything', async () => {
    const outcome = await ensureEngine(fakeServer(1000, 0), engineLayout(dir), PLATFORM, () => undefined);
    expect(outcome).toMatchObject({ name: 'kafka', state: 'reused', pid: undefined, answer: 'fake 1.0' });
  });

  it('refuses to start when a process that does not answer holds one of its ports', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      await expect(ensureEngine(fakeServer(1000, Infinity, [port]), engineLayout(dir), PLATFORM, () => undefined)).rejects.toThrow(
        `kafka: port 127.0.0.1:${port} is taken by a process that does not answer as kafka to the platform's credentials in ${path.relative(engineLayout(dir).repoRoot, path.join(dir, 'credentials', 'platform.json'))} (see \`ss -ltnp 'sport = :${port}'\`)`,
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

describe('allOrNothing', () => {
  const outcome = (name: EngineOutcome['name'], state: EngineOutcome['state']): EngineOutcome => ({ name, endpoint: '127.0.0.1:1', state, pid: 1, answer: 'up', elapsedMs: 1 });

  it('returns every start when all succeed, stopping nothing', async () => {
    const stopped: string[][] = [];
    const result = await allOrNothing([Promise.resolve([outcome('kafka', 'started')]), Promise.resolve([outcome('cassandra', 'reused')])], async (names) => { stopped.push(names); });
    await expect(result.map((r) => r.map((o) => o.name))).toEqual([['kafka'], ['cassandra']]);
    await expect(stopped).toEqual([]);
  });

  it('when one start fails, waits for the others, stops what they started (not what they reused) and throws the failure', async () => {
    const stopped: string[][] = [];
    let cassandraDone = false;
    const slowCassandra = new Promise<EngineOutcome[]>((resolve) => setTimeout(() => { cassandraDone = true; resolve([outcome('cassandra', 'started')]); }, 20));
    const failure = new EngineError('kafka storage format failed (exit 1)');
    await expect(allOrNothing([Promise.reject(failure), slowCassandra, Promise.resolve([outcome('connect', 'reused')])], async (names) => { stopped.push(names); })).rejects.toBe(failure);
    await expect(cassandraDone).toBe(true);
    await expect(stopped).toEqual([['cassandra']]);
  });
});
