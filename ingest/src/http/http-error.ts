import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
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
 * Longest path parameter the router matches (Fastify's default), in characters; a longer one is a
 * 400 like any parameter breaking its schema, not the router's 414 (which says the whole URI is too
 * long, and which schema-driven clients do not expect for a parameter's length).
 */
export const MAX_PARAM_LENGTH = 100;
const PARAM_TOO_LONG = 'FST_ERR_MAX_PARAM_LENGTH';

/**
 * A Fastify instance whose every error leaves as `{ "error": { "code", "message", … } }`: our
 * HttpErrors, fastify's own 4xx (bad JSON, schema validation, unknown route, media type), the
 * router's (a malformed URL, a path parameter over its length limit: these never reach the error
 * handler, hence `frameworkErrors`) and, without internals, 5xx.
 */
export function createJsonServer(options: { readonly bodyLimit: number }, log: Logger): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (err, _request, reply: FastifyReply) => void reply.code(err.code === PARAM_TOO_LONG ? 400 : (err.statusCode ?? 400)).send(errorBody(err.code.toLowerCase(), err.message)),
  });
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
  return app;
}
