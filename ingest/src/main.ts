// Entry of the container image (compiled to dist/); `npx mysimbdp` runs the sources through bin/mysimbdp.cjs instead.
import { runCli } from './cli';

runCli(process.argv.slice(2));
