/** The local control plane for tests and operators: build, start/reuse, stop, status. */
export * from './cluster-endpoints';
export { clusterLayout, clusterBinary, type ClusterLayout } from './cluster-layout';
export { ensureCluster, buildCluster, stopCluster, clusterStatus, CLUSTER_COMPONENTS, type ClusterOutcome, type ComponentOutcome, type ComponentStop, type ComponentStatus } from './control-plane';
export { kubectl, OPERATOR_CRDS } from './operator-crds';
