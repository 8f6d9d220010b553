import { z } from 'zod';

/**
 * The fields every spec starts with: `kind` selects the provider and job kind (and the JSON schema the editor checks
 * against); `$schema` is allowed so a spec can also name its schema for editors other than VS Code; `description` is
 * for reviewers.
 */
export function specHeader<K extends string>(kind: K) {
  return {
    $schema: z.string().optional(),
    kind: z.literal(kind),
    description: z.string().max(2_000).optional(),
  };
}

/**
 * A path inside the uploaded workspace folder, as the provider sees it: relative, `/` separators, never leaving the
 * folder — the job runs in the zip's root, so `../x` or `/etc/x` names nothing it has.
 */
export const projectPath = z
  .string()
  .min(1)
  .max(1_000)
  .refine((value) => !value.startsWith('/') && !/^[A-Za-z]:/.test(value) && !value.includes('\\'), {
    message: 'Write a relative path with / separators, inside the workspace folder (e.g. scripts/train.py).',
  })
  .refine((value) => !value.split('/').includes('..'), { message: 'The path must stay inside the workspace folder: ".." is not allowed.' });
