// POST /api/projects/request-upload: {name, filename (".zip or .7z"), size_bytes}.
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import { describe, invalidField, requireObject, requiredString } from './invalidField';

export interface UploadRequest {
  name: string;
  filename: string;
  sizeBytes: number;
}

export function validateUploadRequest(raw: unknown): UploadRequest {
  const body = requireObject(raw);
  const name = requiredString(body, 'name');
  if (name.length > 200) throw invalidField('name', 'must be at most 200 characters');
  const filename = requiredString(body, 'filename');
  // It becomes the last segment of a blob name: no paths, no dot segments.
  if (/[/\\]/.test(filename) || filename.startsWith('.') || filename.length > 200) throw invalidField('filename', 'must be a plain file name without a path');
  if (!/\.(zip|7z)$/i.test(filename)) throw invalidField('filename', `must end in .zip or .7z, got '${filename}'`);
  const size = body.size_bytes;
  if (size === undefined || size === null) throw invalidField('size_bytes', 'is required');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) throw invalidField('size_bytes', `must be a positive integer, got ${describe(size)}`);
  if (size > P.maxProjectBytes) throw invalidField('size_bytes', `must be at most ${P.maxProjectBytes} bytes (sandbox limit)`);
  return { name, filename, sizeBytes: size };
}
