import * as fs from 'node:fs';
import * as path from 'node:path';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { tenantConfigMapName, tenantNamespace } from '../common/naming';
import { tenantFileKey, tenantFilePaths } from './runtime-pod';

export interface TenantConfigProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /**
   * File contents by path relative to the tenant folder (`agreement.json`, `dataset.json`,
   * `datasets/<name>.json`). @default read from `tenant.dir`
   */
  readonly files?: ReadonlyMap<string, string>;
  /** Namespace of the ConfigMap; the platform namespace holds a copy for the API and monitor. @default the tenant namespace */
  readonly namespace?: string;
}

/** Kubernetes' limit on a ConfigMap's data. */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/**
 * ConfigMap `<dns-client>-tenant` holding the tenant's files verbatim, so pods load exactly what
 * was validated. Keys replace `/` with `__`; runtimePodSpec maps them back with `items`.
 */
export class TenantConfig extends Construct {
  constructor(scope: Construct, id: string, props: TenantConfigProps) {
    super(scope, id);
    const { tenant } = props;
    const data: Record<string, string> = {};
    let bytes = 0;
    for (const relative of tenantFilePaths(tenant)) {
      const text = props.files === undefined ? readTenantFile(tenant, relative) : props.files.get(relative);
      if (text === undefined) throw new InputError(`tenant "${tenant.client}": files has no "${relative}"`);
      data[tenantFileKey(relative)] = text;
      bytes += Buffer.byteLength(text);
    }
    if (bytes > CONFIG_MAP_MAX_BYTES) {
      throw new InputError(`tenant "${tenant.client}": tenant files total ${bytes} bytes, over the ConfigMap limit of ${CONFIG_MAP_MAX_BYTES}`);
    }
    new k8s.KubeConfigMap(this, 'config-map', {
      metadata: { name: tenantConfigMapName(tenant), namespace: props.namespace ?? tenantNamespace(props.settings, tenant), labels: tenantLabels(tenant, 'tenant') },
      data,
    });
  }
}

function readTenantFile(tenant: Tenant, relative: string): string {
  const file = path.join(tenant.dir, relative);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`tenant "${tenant.client}": cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}
