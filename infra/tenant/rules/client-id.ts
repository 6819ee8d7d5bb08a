// Client ids are used as Kafka topic prefixes, Cassandra-safe names and (with `_` → `-`) Kubernetes
// names. Forbidding `-` and `.` keeps both mappings one-to-one: `client_a` and `client-a` can never
// be two tenants, and topic metric names (`.` → `_`) cannot collide.

export const CLIENT_ID_PATTERN = /^[a-z][a-z0-9_]*[a-z0-9]$/;
export const CLIENT_ID_MAX_LENGTH = 40;

/** Why a client id is not valid, or undefined when it is. */
export function clientIdProblem(id: string): string | undefined {
  if (id.length < 2 || id.length > CLIENT_ID_MAX_LENGTH) return `must be 2 to ${CLIENT_ID_MAX_LENGTH} characters long`;
  if (!CLIENT_ID_PATTERN.test(id)) return 'must start with a lowercase letter and contain only lowercase letters, digits and "_", not ending in "_"';
  return undefined;
}

/** DNS-1123 label form of a client id, for Kubernetes names: `client_a` → `client-a`. */
export function dnsName(id: string): string {
  return id.replace(/_/g, '-');
}
