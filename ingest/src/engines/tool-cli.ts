import { MysimbdpError, UsageError } from '../../../infra/errors';
import { seconds } from './engines';

// What `engines:*`, `cluster:*` and `pulumi:build` share as command-line tools of local servers.

/** One line for a stopped server: how it ended, or why nothing was stopped. */
export function describeStop(o: { readonly state: 'stopped' | 'killed' | 'not-running' | 'foreign'; readonly pid: number | undefined; readonly elapsedMs: number }, starter: string): string {
  return {
    stopped: `stopped pid ${o.pid} in ${seconds(o.elapsedMs)}`,
    killed: `killed pid ${o.pid} (did not stop in time)`,
    'not-running': 'not running',
    foreign: `answers but was not started by ${starter} — left running`,
  }[o.state];
}

/** ` (pid N)` for a server the tool started, a note for one that answers but is someone else's. */
export function describeOwner(pid: number | undefined, answer: string | undefined, starter: string): string {
  return pid === undefined ? (answer === undefined ? '' : ` (not started by ${starter})`) : ` (pid ${pid})`;
}

/** Runs a tool's `run(argv)` as the process: its exit code; usage errors exit 2 with the usage, others 1 with one line. */
export function runAsMain(prefix: string, usage: string, run: (argv: readonly string[]) => Promise<number>): void {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`${prefix}: ${err.message}\n${usage}\n`);
        process.exit(2);
      }
      process.stderr.write(`${prefix}: ${err instanceof MysimbdpError ? err.message : String((err as Error).stack ?? err)}\n`);
      process.exit(1);
    },
  );
}
