// Email addresses as identities: trimmed and lowercased before they are stored or compared.
import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .max(254, { error: "is longer than 254 characters" })
  .pipe(z.email({ error: "is not an email address" }))
  .transform((email) => email.toLowerCase());

export function normalizeEmail(raw: string): string {
  return emailSchema.parse(raw);
}
