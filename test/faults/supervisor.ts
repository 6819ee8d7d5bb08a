import { startCli, type CliResult } from '../ingest/helpers/run-cli';

/**
 * Runs a worker command as an orchestrator would: started again when it exits (a worker that gave up
 * on a dead dependency must exit, and its restart must pick the work up). Bounded: at most
 * `maxRestarts`, so a worker that cannot start fails the test instead of looping.
 */
export function supervise(args: readonly string[], env: NodeJS.ProcessEnv, maxRestarts = 10): { readonly runs: CliResult[]; stop(): Promise<CliResult[]> } {
  const runs: CliResult[] = [];
  let stopping = false;
  let current = startCli(args, env);
  const loop = (async () => {
    for (;;) {
      const result = await current.done;
      runs.push(result);
      if (stopping) return;
      if (runs.length > maxRestarts) throw new Error(`${args[0]} exited ${runs.length} times; last stderr:\n${result.stderr.split('\n').slice(-10).join('\n')}`);
      await new Promise((r) => setTimeout(r, 1000));
      if (stopping) return;
      current = startCli(args, env);
    }
  })();
  return {
    runs,
    async stop() {
      stopping = true;
      current.child.kill('SIGTERM');
      await loop;
      return runs;
    },
  };
}
