import { describe, expect, it } from 'vitest';
import { InputError } from '../../infra/errors';
import { cassandraRoleName, credentialsFileName, parseCassandraCredentials, parseCredentials } from '../../infra/credentials';

const good = {
  kafka: { bootstrap: '127.0.0.1:9092', mechanism: 'scram-sha-512', username: 'client-a', password: 'k-secret' },
  cassandra: { contact_points: '127.0.0.1:9042', local_dc: 'datacenter1', username: 'client_a', password: 'c-secret' },
};

describe('parseCredentials', () => {
  it('reads the shared shape', async () => {
    await expect(parseCredentials(JSON.stringify(good), 'f.json')).toEqual(good);
  });

  it.each([
    ['{', 'f.json: not JSON'],
    ['[]', 'f.json: $ must be an object'],
    [JSON.stringify({ kafka: good.kafka }), 'f.json: $.cassandra must be an object'],
    [JSON.stringify({ ...good, kafka: { ...good.kafka, password: '' } }), 'f.json: $.kafka.password must be a non-empty string'],
    [JSON.stringify({ ...good, cassandra: { ...good.cassandra, local_dc: 3 } }), 'f.json: $.cassandra.local_dc must be a non-empty string'],
    [JSON.stringify({ ...good, kafka: { ...good.kafka, mechanism: 'gssapi' } }), 'f.json: $.kafka.mechanism must be one of scram-sha-512, plain, got "gssapi"'],
  ])('refuses %s', async (text, message) => {
    await expect(() => parseCredentials(text, 'f.json')).toThrow(InputError);
    await expect(() => parseCredentials(text, 'f.json')).toThrow(message);
  });

  it('never repeats a password in its message', async () => {
    const text = `{"kafka": {"password": "hunter2"`;
    await expect(() => parseCredentials(text, 'f.json')).toThrow(/^f\.json: not JSON$/);
  });
});

describe('parseCassandraCredentials', () => {
  it('reads the cassandra half alone (the console role\'s file), ignoring a kafka member', async () => {
    await expect(parseCassandraCredentials(JSON.stringify({ cassandra: good.cassandra }), 'c.json')).toEqual({ cassandra: good.cassandra });
    await expect(parseCassandraCredentials(JSON.stringify(good), 'c.json')).toEqual({ cassandra: good.cassandra });
  });

  it.each([
    [JSON.stringify({ kafka: good.kafka }), 'c.json: $.cassandra must be an object'],
    [JSON.stringify({ cassandra: { ...good.cassandra, password: '' } }), 'c.json: $.cassandra.password must be a non-empty string'],
  ])('refuses %s', async (text, message) => {
    await expect(() => parseCassandraCredentials(text, 'c.json')).toThrow(message);
  });
});

describe('names', () => {
  it('the tenant role is its client id, the file its client id', async () => {
    await expect(cassandraRoleName({ client: 'client_a' })).toBe('client_a');
    await expect(credentialsFileName('client_a')).toBe('client_a.json');
  });
});
