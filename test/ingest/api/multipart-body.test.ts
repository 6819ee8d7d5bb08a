import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { multipartError, partContent } from '../../../ingest/src/api/multipart-body';
import { HttpError } from '../../../ingest/src/http/http-error';

describe('multipartError', () => {
  it("makes the parser's status-less errors 400s", async () => {
    const err = multipartError(new Error('Unexpected end of form'));
    await expect(err).toBeInstanceOf(HttpError);
    await expect(err).toMatchObject({ statusCode: 400, code: 'malformed_multipart', message: 'the multipart/form-data body is malformed: Unexpected end of form' });
  });

  it('keeps errors that have a status, and anything not an Error', async () => {
    const limit = Object.assign(new Error('reach files limit'), { statusCode: 413 });
    const refusal = new HttpError(415, 'unsupported_content', 'binary');
    await expect(multipartError(limit)).toBe(limit);
    await expect(multipartError(refusal)).toBe(refusal);
    await expect(multipartError('odd')).toBe('odd');
  });
});

describe('partContent', () => {
  it('passes the bytes through and turns a parser error into a 400', async () => {
    const file = new Readable({ read() {} });
    file.push(Buffer.from('a,b\n'));
    const chunks: Buffer[] = [];
    const read = (async () => {
      for await (const chunk of partContent(file)) chunks.push(chunk as Buffer);
    })();
    setImmediate(() => file.destroy(new Error('Unexpected end of form')));
    await expect(read).rejects.toMatchObject({ statusCode: 400, code: 'malformed_multipart', message: 'the multipart/form-data body is malformed: Unexpected end of form' });
    await expect(Buffer.concat(chunks).toString()).toBe('a,b\n');
  });
});
