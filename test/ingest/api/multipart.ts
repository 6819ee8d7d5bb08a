// Builds multipart/form-data bodies by hand so tests control every byte (odd filenames, NULs).
import * as crypto from 'node:crypto';

export interface Part {
  readonly field: string;
  readonly filename?: string;
  readonly content: string | Buffer;
}

export function multipart(...parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----mysimbdp${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename === undefined ? `form-data; name="${part.field}"` : `form-data; name="${part.field}"; filename="${part.filename}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: application/octet-stream\r\n\r\n`, 'latin1'));
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const fileUpload = (filename: string, content: string | Buffer): ReturnType<typeof multipart> => multipart({ field: 'file', filename, content });
