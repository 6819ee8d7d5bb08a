import * as path from 'node:path';
import type { EngineCredentials } from '../../../infra/credentials';
import type { EngineLayout } from './engine-layout';

export type EngineName = 'kafka' | 'cassandra' | 'connect';

/** One engine: how to tell it answers, and how to prepare and launch it from its Maven classpath. */
export interface EngineServer {
  readonly name: EngineName;
  /** host:port or URL that clients use. */
  readonly endpoint: string;
  /** Every port it binds; `engines:down` waits until none of them listens. */
  readonly ports: readonly number[];
  /** Start-up budget before `up` gives up and prints the log tail. */
  readonly startTimeoutMs: number;
  /** A real request as the platform (not a port check); a one-line description when it answers, undefined otherwise. */
  probe(platform: EngineCredentials | undefined): Promise<string | undefined>;
  /** Writes configs, prepares storage, and returns the `java` arguments (JVM options, main class, args). */
  prepare(layout: EngineLayout, jars: readonly string[], platform: EngineCredentials, progress: (line: string) => void): Promise<readonly string[]>;
}

/** Files of one engine under the layout. */
export function engineFiles(layout: EngineLayout, name: EngineName) {
  return {
    pom: path.join(layout.pomDir, name, 'pom.xml'),
    logFile: path.join(layout.logDir, `${name}.log`),
    pidFile: path.join(layout.runDir, `${name}.pid`),
    confDir: path.join(layout.confDir, name),
    dataDir: path.join(layout.dataDir, name),
  };
}
