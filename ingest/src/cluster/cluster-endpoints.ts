/** Where the local control plane listens: loopback only, fixed ports, so tests need no settings. */
export const CLUSTER_HOST = '127.0.0.1';

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
export const APISERVER_PORT = 6443;
export const APISERVER_URL = `https://${CLUSTER_HOST}:${APISERVER_PORT}`;
export const CONTROLLER_MANAGER_PORT = 10257;

/** The Service network: its first address is the `kubernetes` Service, named in the serving certificate. */
export const SERVICE_CIDR = '10.0.0.0/24';
export const KUBERNETES_SERVICE_IP = '10.0.0.1';
