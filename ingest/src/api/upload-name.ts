import type { Dataset, FileType } from '../../../infra/tenant/types';
import { HttpError } from '../http/http-error';
import { fileTypeOf } from '../readers/read-records';

/** Names an uploaded file may have: a plain name, no folders, no leading dot, portable characters. */
export const UPLOAD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks the client's file name before a byte is written. The name is used as is or refused —
 * never "cleaned" — so what the tenant sees in listings is exactly what they sent.
 * 422 for a name that could leave the folder or hide (path separators, `..`, NUL, dot-files,
 * other characters, > 128 characters); 415 for a type the dataset does not accept.
 */
export function checkUploadName(name: string | undefined, dataset: Dataset): { readonly name: string; readonly fileType: FileType } {
  if (name === undefined || name === '') throw new HttpError(422, 'invalid_filename', 'the file part has no filename');
  if (!UPLOAD_NAME.test(name) || name.includes('..')) {
    throw new HttpError(422, 'invalid_filename', `filename ${JSON.stringify(name)} must be a plain file name: letters, digits, ".", "_", "-", at most 128 characters, not starting with "." and without ".."`, { filename: name });
  }
  const fileType = fileTypeOf(name);
  if (fileType === undefined || !dataset.fileTypes.includes(fileType)) {
    throw new HttpError(415, 'unsupported_file_type', `dataset ${dataset.name} accepts ${dataset.fileTypes.map((t) => `.${t}`).join(', ')} files, got ${JSON.stringify(name)}`, { filename: name, accepted: dataset.fileTypes });
  }
  return { name, fileType };
}
