// Pulumi entry point (Pulumi.yaml `main`). Everything is in program.ts, so tests can drive the
// same code with mocks; this file only runs it and exports the stack outputs.
import { runFromConfig } from './program';

const deployment = runFromConfig();

export const platformNamespace = deployment.platform.namespace;
export const tenantNamespaces = Object.fromEntries([...deployment.tenants].map(([client, component]) => [client, component.namespace]));
