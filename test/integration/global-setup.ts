import { engineStatus, ensureEngines, stopEngines, type EngineName } from '../../ingest/src/engines';

/**
 * Integration tests' global setup: real Kafka (127.0.0.1:9092) and Cassandra (127.0.0.1:9042) up
 * once per run, reusing engines already up. Teardown stops only what this run started: the engines
 * down at setup that this tool started since (Kafka Connect that a test started with
 * `ensureConnect()` included); engines that were already up stay up for the next run.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const upBefore = new Set((await engineStatus()).filter((s) => s.answer !== undefined).map((s) => s.name));
  const outcomes = await ensureEngines({ progress: (line) => process.stderr.write(`engines: ${line}\n`) });
  for (const o of outcomes) process.stderr.write(`engines: ${o.name} ${o.state} (${o.answer})\n`);
  return async () => {
    const startedHere = (await engineStatus()).filter((s) => !upBefore.has(s.name) && s.pid !== undefined).map((s): EngineName => s.name);
    if (startedHere.length > 0) await stopEngines(startedHere);
  };
}
