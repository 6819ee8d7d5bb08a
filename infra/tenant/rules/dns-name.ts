// Kubernetes object names (apimachinery's IsDNS1123Label and IsDNS1123Subdomain): the one home of
// their syntax; constructs, stack settings and the synth checks call these.

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS label: a-z, 0-9 and '-', starting and ending alphanumeric, at most `maxLength` (@default 63). */
export function isDnsLabel(value: string, maxLength = 63): boolean {
  return value.length <= Math.min(maxLength, 63) && LABEL.test(value);
}

/** Dot-separated DNS labels, at most 253 characters: the name of most objects (Secrets among them). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && SUBDOMAIN.test(value);
}
