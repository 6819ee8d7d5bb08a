import { beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_URL, ensureConnect, validateConnectorConfig } from '../../../ingest/src/engines';

const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

describe('Kafka Connect worker (started on demand by ensureConnect)', () => {
  beforeAll(async () => {
    await ensureConnect();
  });

  it('answers GET /connector-plugins with the FileStream connectors', async () => {
    const res = await fetch(`${CONNECT_URL}/connector-plugins`);
    expect(res.status).toBe(200);
    const plugins = (await res.json()) as { class: string; type: string }[];
    expect(plugins).toEqual(expect.arrayContaining([{ class: FILE_SINK, type: 'sink', version: expect.any(String) }]));
  });

  it('validates a correct connector config with no errors', async () => {
    await expect(validateConnectorConfig(FILE_SINK, { name: 'engines-test-sink', topics: 'engines-test.t', file: '/tmp/engines-test.out' })).resolves.toEqual({
      errorCount: 0,
      errors: [],
    });
  });

  it('reports each rejected key of a wrong config', async () => {
    const result = await validateConnectorConfig(FILE_SINK, { topics: 'engines-test.t', 'tasks.max': 'many' });
    expect(result).toEqual({
      errorCount: 3,
      errors: [
        { name: 'name', errors: ['Missing required configuration "name" which has no default value.'] },
        {
          name: 'tasks.max',
          errors: ['Invalid value many for configuration tasks.max: Not a number of type INT', 'Invalid value null for configuration tasks.max: Value must be non-null'],
        },
      ],
    });
  });

  it('fails with the HTTP status when the worker has no such plugin', async () => {
    await expect(validateConnectorConfig('com.example.NoSuchConnector', { name: 'x' })).rejects.toThrow(
      /^Kafka Connect refused to validate com\.example\.NoSuchConnector: HTTP 500 .*Failed to find any class that implements Connector and which name matches com\.example\.NoSuchConnector/,
    );
  });
});
