// Entry of the container image (compiled to dist/); `npx mysimbdp` runs the sources through bin/mysimbdp.cjs instead.
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`mysimbdp: ${err instanceof Error && err.stack !== undefined ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);
