import { describeOutcome, describeStart, engineLayout, engineStatus, ensureEngines, stopEngines, takeLease, type EngineName } from '../../ingest/src/engines';

const say = (line: string): void => void process.stderr.write(`engines: ${line}\n`);

/**
 * Integration tests' global setup: real Kafka (127.0.0.1:9092) and Cassandra (127.0.0.1:9042) up
 * once per run, reusing engines already up. Teardown stops only what this run started (Kafka
 * Connect that a test started with `ensureConnect()` included), and only when no other test run
 * still holds a lease on the engines; engines that were already up stay up.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const layout = engineLayout();
  const lease = takeLease(layout.runDir);
  const started = Date.now();
  const outcomes = await ensureEngines({ cacheDir: layout.cacheDir, progress: say });
  for (const o of outcomes) say(describeOutcome(o));
  say(describeStart(outcomes, Date.now() - started));
  const connectAtSetup = (await engineStatus(layout.cacheDir)).find((s) => s.name === 'connect');

  return async () => {
    const startedHere: EngineName[] = outcomes.filter((o) => o.state === 'started').map((o) => o.name);
    const connect = (await engineStatus(layout.cacheDir)).find((s) => s.name === 'connect');
    if (connectAtSetup?.answer === undefined && connect?.pid !== undefined && connect.pid !== connectAtSetup?.pid) startedHere.push('connect');
    const others = lease.release();
    if (startedHere.length === 0) return;
    if (others > 0) {
      say(`leaving ${startedHere.join(', ')} running: ${others} other test run(s) still use the engines`);
      return;
    }
    for (const o of await stopEngines(startedHere, layout.cacheDir)) say(`${o.name} ${o.state}${o.pid === undefined ? '' : ` (pid ${o.pid})`}`);
  };
}
