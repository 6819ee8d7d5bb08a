import type { FastifyError, FastifyInstance } from 'fastify';
import { MysimbdpError, type ErrorContext } from '../../../infra/errors';
import { errorFields, type Logger } from '../log';

/** A refusal with its HTTP status and a stable machine-readable code; `details` join the JSON body. */
export class HttpError extends MysimbdpError {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    context: ErrorContext = {},
  ) {
    super(message, { context });
  }
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly [detail: string]: unknown };
}

export function errorBody(code: string, message: string, details: Readonly<Record<string, unknown>> = {}): ErrorBody {
  return { error: { code, message, ...details } };
}

/**
 * Every error leaves as `{ "error": { "code", "message", … } }`: our HttpErrors, fastify's own
 * 4xx (bad JSON, schema validation, unknown route, media type) and, without internals, 5xx.
 */
export function installJsonErrors(app: FastifyInstance, log: Logger): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      for (const [name, value] of Object.entries(err.details.headers ?? {})) void reply.header(name, value);
      const { headers: _headers, ...details } = err.details;
      void reply.code(err.statusCode).send(errorBody(err.code, err.message, details));
      return;
    }
    const status = err.statusCode ?? 500;
    if (err.validation !== undefined) {
      void reply.code(400).send(errorBody('invalid_request', err.message));
      return;
    }
    if (status >= 400 && status < 500) {
      void reply.code(status).send(errorBody((err.code ?? 'bad_request').toLowerCase(), err.message));
      return;
    }
    log.error('request failed', { method: request.method, url: request.url.split('?')[0], ...errorFields(err) });
    void reply.code(500).send(errorBody('internal', 'internal error; see the server log'));
  });
}
