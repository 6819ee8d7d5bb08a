import { InputError } from '../errors';
import type { StackSettings } from '../stack/stack-settings';
import type { Tenant } from '../tenant/types';
import { isDnsLabel } from '../tenant/rules/dns-name';


/**
 * Refuses tenant sets whose names would collide in Kubernetes or Kafka:
 * - two clients with one DNS name (`client_a` and `client-a`) would share a namespace and KafkaUser;
 * - a client whose namespace equals the platform's (`platform`);
 * - a `.` in a client id would let the ACL prefix `<client>.` of one tenant reach another's topics;
 * - Kafka topic names equal once `.` is read as `_` collide in Kafka's metric names.
 */
export function assertDistinctTenantNames(tenants: readonly Tenant[], settings: StackSettings): void {
  const byDns = new Map<string, string>();
  const byMetricName = new Map<string, string>();
  for (const tenant of tenants) {
    if (tenant.client.includes('.')) throw new InputError(`tenant "${tenant.client}": client id must not contain "." (it delimits topic prefixes)`);
    if (!isDnsLabel(tenant.dnsName)) throw new InputError(`tenant "${tenant.client}": dnsName "${tenant.dnsName}" is not a DNS label`);
    if (tenant.dnsName === 'platform') throw new InputError(`tenant "${tenant.client}": namespace ${settings.namespacePrefix}-platform is the platform's`);
    const other = byDns.get(tenant.dnsName);
    if (other !== undefined) throw new InputError(`tenants "${other}" and "${tenant.client}" map to the same Kubernetes name "${tenant.dnsName}"`);
    byDns.set(tenant.dnsName, tenant.client);
    for (const dataset of tenant.datasets) {
      for (const topic of [dataset.topics.main, dataset.topics.raw, dataset.topics.dlq]) {
        const metricName = topic.replace(/\./g, '_');
        const clash = byMetricName.get(metricName);
        if (clash !== undefined) throw new InputError(`Kafka topics "${clash}" and "${topic}" collide in Kafka metric names ("${metricName}")`);
        byMetricName.set(metricName, topic);
      }
    }
  }
}
