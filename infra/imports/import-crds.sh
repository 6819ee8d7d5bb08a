#!/usr/bin/env bash
# Regenerates the committed CRD types (npm run import:crds). `cdk8s import` writes one file per API
# group, so the six Strimzi CRDs are concatenated into one multi-document YAML and imported once.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
crds="${CRDS_DIR:-$root/infra/imports/crds}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for f in "$crds"/strimzi/*.yaml; do cat "$f"; printf '\n---\n'; done > "$work/strimzi.yaml"
cd "$root"
npx cdk8s import "$work/strimzi.yaml" --language typescript --output infra/imports
npx cdk8s import "$crds"/cass-operator/cassandra.datastax.com_cassandradatacenters.yaml --language typescript --output infra/imports
