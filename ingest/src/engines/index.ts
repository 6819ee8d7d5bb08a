/** The engines API for tests and `dev`: start/reuse/stop the local Kafka, Cassandra and Kafka Connect. */
export * from './endpoints';
export { ensureEngines, ensureConnect, stopEngines, killEngine, engineStatus, describeOutcome, describeStart, ENGINE_SERVERS, type EngineOutcome, type EnsureEnginesOptions, type StopOutcome, type EngineStatus } from './engines';
export type { EngineName } from './engine-server';
export { connectPluginDir, validateConnectorConfig, type ConnectorValidation } from './connect-server';
export { engineLayout } from './engine-layout';
export { takeLease, liveLeases, type EngineLease } from './engine-leases';
