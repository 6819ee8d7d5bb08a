/** Where the local engines listen: loopback only, fixed ports, so tests and `dev` need no settings. */
export const ENGINE_HOST = '127.0.0.1';

export const KAFKA_PORT = 9092;
/** KRaft controller listener of the single combined broker+controller node. */
export const KAFKA_CONTROLLER_PORT = 9093;
export const KAFKA_BOOTSTRAP = `${ENGINE_HOST}:${KAFKA_PORT}`;

export const CASSANDRA_PORT = 9042;
/** Cassandra's inter-node (gossip) port; nothing connects to it on a single node, but it is bound. */
export const CASSANDRA_STORAGE_PORT = 7000;
export const CASSANDRA_CONTACT_POINT = `${ENGINE_HOST}:${CASSANDRA_PORT}`;
export const CASSANDRA_LOCAL_DC = 'datacenter1';

export const CONNECT_PORT = 8083;
export const CONNECT_URL = `http://${ENGINE_HOST}:${CONNECT_PORT}`;
