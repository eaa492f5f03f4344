import { z } from 'zod';
import { parseDocument } from 'yaml';
import { CatalogError } from '../errors.js';

// The simple alternative to a Backstage catalog:
//
//   default: team-platform            # optional: owner of anything not listed
//   services:
//     user-directory: team-directory
//     "payments-*": team-payments     # globs: * and ?
//   teams:                            # optional contact details
//     team-directory: { slack: "#team-directory", teams: "Directory/On-call" }
//   runbooks:                         # optional: shown on the incident card
//     user-directory: https://wiki.example.com/runbooks/user-directory
//     "payments-*": [https://wiki.example.com/runbooks/payments]

const httpUrl = z.url({ protocol: /^https?$/ });

export const ownershipFileSchema = z.object({
  default: z.string().min(1).optional(),
  services: z.record(z.string(), z.string().min(1)).default({}),
  teams: z
    .record(
      z.string(),
      z.object({
        slack: z.string().optional(),
        teams: z.string().optional(),
        email: z.string().optional(),
        members: z.array(z.string()).optional(),
      }),
    )
    .default({}),
  runbooks: z.record(z.string(), z.union([httpUrl, z.array(httpUrl).min(1)])).default({}),
});
export type OwnershipFile = z.infer<typeof ownershipFileSchema>;

export function parseOwnershipYaml(text: string, file: string): OwnershipFile {
  const doc = parseDocument(text, { prettyErrors: true });
  const firstError = doc.errors[0];
  if (firstError) {
    throw new CatalogError(`invalid YAML: ${firstError.message.split('\n')[0]}`, file, firstError.linePos?.[0]?.line ?? null);
  }
  const parsed = ownershipFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CatalogError(
      `not an ownership file (${issue.path.join('.') || 'document'}: ${issue.message}); expected "services: {service-or-glob: team}" and optionally "default: team"`,
      file,
    );
  }
  return parsed.data;
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
