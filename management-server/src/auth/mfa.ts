// The second factor: TOTP enrolment and verification with replay protection, recovery codes, and
// the lockout that makes guessing useless (every 5th wrong code in a row locks the account's second
// factor for 1, 2, 4 ... up to 60 minutes; a right code resets the count).
import { open, seal, type KeyRing } from "@clawden/kit/crypto";
import type { Database, Queryable } from "@clawden/kit/db";
import {
  claimTotpStep,
  countUnusedRecoveryCodes,
  getTotp,
  mfaLockedUntil,
  putPendingTotp,
  recordMfaFailure,
  replaceRecoveryCodes,
  resetMfaFailures,
  unusedRecoveryCodes,
  useRecoveryCode,
} from "../db/mfa.js";
import {
  hashRecoveryCode,
  newRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  recoveryCodeMatches,
} from "../domain/recovery-codes.js";
import { matchTotp, newTotpSecret, totpQrCode, totpUri } from "../domain/totp.js";

export const FAILURES_PER_LOCK = 5;
const LOCK_BASE_MS = 60_000;
const LOCK_MAX_MS = 60 * 60_000;

/** How long the `failures`-th wrong code in a row locks the second factor (0: not at all). */
export function lockDurationMs(failures: number): number {
  if (failures <= 0 || failures % FAILURES_PER_LOCK !== 0) return 0;
  return Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** (failures / FAILURES_PER_LOCK - 1));
}

const secretAad = (userId: string) => `mfa_totp:${userId}`;

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}

/** Starts (or restarts) TOTP enrolment: a new secret, sealed at rest until confirmed by a code. */
export async function beginTotpEnrolment(
  db: Queryable,
  keys: KeyRing,
  userId: string,
  email: string,
): Promise<Enrolment | null> {
  const secret = newTotpSecret();
  const stored = await putPendingTotp(db, userId, seal(keys, secret, secretAad(userId)));
  if (!stored) return null;
  const otpauthUri = totpUri(secret, email);
  return { secret, otpauthUri, qrCode: await totpQrCode(otpauthUri) };
}

export async function mfaEnabled(db: Queryable, userId: string): Promise<boolean> {
  return (await getTotp(db, userId))?.confirmed ?? false;
}

export type CodeCheck =
  | { ok: true; via: "totp" | "recovery"; recoveryCodesLeft: number }
  | { ok: false; reason: "wrong"; lockedUntil: Date | null }
  | { ok: false; reason: "locked"; lockedUntil: Date };

async function checkTotp(
  db: Queryable,
  keys: KeyRing,
  userId: string,
  code: string,
  confirm: boolean,
): Promise<boolean> {
  const totp = await getTotp(db, userId);
  if (!totp || totp.confirmed === confirm) return false;
  const secret = open(keys, totp.secretSealed, secretAad(userId)).toString("utf8");
  const step = await matchTotp(secret, code, totp.lastStep);
  return step !== null && (await claimTotpStep(db, userId, step, confirm));
}

async function checkRecoveryCode(db: Queryable, userId: string, input: string): Promise<boolean> {
  const code = normalizeRecoveryCode(input);
  if (!code) return false;
  for (const candidate of await unusedRecoveryCodes(db, userId)) {
    if (await recoveryCodeMatches(candidate.hash, code)) return useRecoveryCode(db, candidate.id);
  }
  return false;
}

/**
 * Checks a second-factor code for `userId`: a TOTP code of the confirmed authenticator (or, with
 * `confirmEnrolment`, of the pending one, which it confirms), or an unused recovery code. Counts
 * wrong codes towards the lockout; refuses everything while locked.
 */
export async function checkSecondFactor(
  db: Database,
  keys: KeyRing,
  userId: string,
  input: string,
  options: { confirmEnrolment?: boolean } = {},
): Promise<CodeCheck> {
  const lockedUntil = await mfaLockedUntil(db, userId);
  if (lockedUntil) return { ok: false, reason: "locked", lockedUntil };
  const code = input.trim().replace(/\s/g, "");
  const confirm = options.confirmEnrolment ?? false;
  let via: "totp" | "recovery" | null = null;
  if (await checkTotp(db, keys, userId, code, confirm)) via = "totp";
  else if (!confirm && (await checkRecoveryCode(db, userId, code))) via = "recovery";
  if (via === null) {
    const failure = await recordMfaFailure(db, userId, lockDurationMs);
    return { ok: false, reason: "wrong", lockedUntil: failure.lockedUntil };
  }
  await resetMfaFailures(db, userId);
  return { ok: true, via, recoveryCodesLeft: await countUnusedRecoveryCodes(db, userId) };
}

/** Makes a new set of recovery codes (the old ones stop working) and returns them, once. */
export async function regenerateRecoveryCodes(db: Queryable, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await replaceRecoveryCodes(db, userId, await Promise.all(codes.map(hashRecoveryCode)));
  return codes;
}

export { countUnusedRecoveryCodes };
