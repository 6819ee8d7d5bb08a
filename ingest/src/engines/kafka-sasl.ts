import { EngineError } from '../../../infra/errors';

// SASL settings of the local Kafka's Java side (broker, Connect worker, outside tools), in one place.

/** `key="value"` pairs of a JAAS config line; JAAS strings end at the next quote, so none may hold one. */
export function jaasOptions(options: Readonly<Record<string, string>>): string {
  return Object.entries(options)
    .map(([key, value]) => {
      if (/["\\\n]/.test(value)) throw new EngineError(`kafka: JAAS option ${key} may not contain a quote, backslash or newline`);
      return `${key}="${value}"`;
    })
    .join(' ');
}

/** Client-side SASL settings of a Java client (Connect worker, admin tools) logging in as `user`. */
export function kafkaClientSaslProperties(user: { readonly username: string; readonly password: string }, prefix = ''): string[] {
  return [
    `${prefix}security.protocol=SASL_PLAINTEXT`,
    `${prefix}sasl.mechanism=SCRAM-SHA-512`,
    `${prefix}sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required ${jaasOptions({ username: user.username, password: user.password })};`,
  ];
}
