// Kubernetes object names (apimachinery's IsDNS1123Label and IsDNS1123Subdomain): the one home of
// their syntax; constructs, stack settings and the synth checks call these.

export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS label: a-z, 0-9 and '-', starting and ending alphanumeric, at most `maxLength` (@default 63). */
export function isDnsLabel(value: string, maxLength = 63): boolean {
  return value.length <= Math.min(maxLength, 63) && DNS_LABEL_PATTERN.test(value);
}

/** Longest dataset, connector or plugin name: `<client>-<name>-<role>` must still fit a 63-character label. */
export const TENANT_NAME_MAX_LENGTH = 40;

/** Why `value` is not a dataset, connector or plugin name, or undefined when it is one. */
export function tenantNameProblem(value: string): string | undefined {
  return isDnsLabel(value, TENANT_NAME_MAX_LENGTH)
    ? undefined
    : `must be a DNS label of at most ${TENANT_NAME_MAX_LENGTH} characters (a-z, 0-9 and '-', starting and ending with a letter or digit)`;
}

/** Dot-separated DNS labels, at most 253 characters: the name of most objects (Secrets among them). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && SUBDOMAIN.test(value);
}
