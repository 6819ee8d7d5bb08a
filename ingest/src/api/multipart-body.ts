import { Readable } from 'node:stream';
import { HttpError } from '../http/http-error';

/**
 * The multipart parser's own errors (busboy: "Unexpected end of form", "Unexpected end of
 * multipart data", …) carry no status, so a malformed or cut-off body would leave as a 500: they
 * are the client's, a 400. Errors with a status (@fastify/multipart's limits) stay as they are.
 */
export function multipartError(err: unknown): unknown {
  if (err instanceof HttpError || !(err instanceof Error) || 'statusCode' in err) return err;
  return new HttpError(400, 'malformed_multipart', `the multipart/form-data body is malformed: ${err.message}`);
}

/** A file part's content, its parser errors turned into 400s (see multipartError). */
export function partContent(file: Readable): Readable {
  async function* content(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of file) yield chunk as Buffer;
    } catch (err) {
      throw multipartError(err);
    }
  }
  return Readable.from(content(), { objectMode: false });
}
