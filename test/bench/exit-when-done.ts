/**
 * Ends the process once a benchmark finishes: Kafka and Cassandra clients can keep handles open,
 * and a failed bench must exit non-zero with its stack.
 */
export function exitWhenDone(work: Promise<unknown>): void {
  work.then(
    (code) => process.exit(typeof code === 'number' ? code : 0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
