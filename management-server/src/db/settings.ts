// The only code that touches the settings table: one JSON document per key, validated on the way out
// (a document written by an older version falls back to the default rather than breaking sign-in).
import type { Queryable } from "@clawden/kit/db";
import { DEFAULT_SIGN_UP_POLICY, signUpPolicySchema, type SignUpPolicy } from "../domain/sign-up.js";

export async function getSignUpPolicy(db: Queryable): Promise<SignUpPolicy> {
  const { rows } = await db.query<{ value: unknown }>("SELECT value FROM settings WHERE key = 'sign_up'");
  if (!rows[0]) return DEFAULT_SIGN_UP_POLICY;
  const parsed = signUpPolicySchema.safeParse(rows[0].value);
  return parsed.success ? parsed.data : DEFAULT_SIGN_UP_POLICY;
}

export async function putSignUpPolicy(db: Queryable, policy: SignUpPolicy, by: string | null): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value, updated_by) VALUES ('sign_up', $1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [JSON.stringify(policy), by],
  );
}
