import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

// The Strimzi and cass-operator CRDs our constructs were typed from (`npm run import:crds`). The
// local control plane applies them (`cluster:up`) and the Pulumi program installs them before the
// operators and every custom resource: one set of files for all three.

/** Files under infra/imports/crds, by the operator that serves them. */
export const OPERATOR_CRD_FILES = {
  strimzi: ['040-Crd-kafka.yaml', '041-Crd-kafkaconnect.yaml', '043-Crd-kafkatopic.yaml', '044-Crd-kafkauser.yaml', '045-Crd-kafkanodepool.yaml', '047-Crd-kafkaconnector.yaml'].map((f) => `strimzi/${f}`),
  cassOperator: ['cass-operator/cassandra.datastax.com_cassandradatacenters.yaml'],
} as const;

export type CrdOperator = keyof typeof OPERATOR_CRD_FILES;

/** Absolute paths of an operator's CRD files. */
export function crdPaths(operator: CrdOperator): string[] {
  return OPERATOR_CRD_FILES[operator].map((f) => path.join(__dirname, 'crds', f));
}

/** A CRD as its file declares it. */
export interface CrdDocument {
  readonly apiVersion: string;
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly [key: string]: unknown };
  readonly spec: Readonly<Record<string, unknown>>;
}

/** Every CRD document of an operator's files (a file may hold several, separated by `---`). */
export function readCrds(operator: CrdOperator): CrdDocument[] {
  return crdPaths(operator).flatMap((file) =>
    parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map((doc) => doc.toJSON() as CrdDocument | null)
      .filter((doc): doc is CrdDocument => doc?.kind === 'CustomResourceDefinition'),
  );
}
