// Recovery codes: ten single-use codes of 50 random bits each, shown once, stored as Argon2id hashes.
// Written as `xxxxx-xxxxx` in an alphabet without look-alike characters; typed back with any case,
// spaces or dashes.
import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // 31 symbols, no i l o 0 1
const LENGTH = 10;

/**
 * Argon2id parameters for recovery codes (and other low-entropy secrets hashed at rest): the OWASP
 * minimum for Argon2id (19 MiB, 2 passes, 1 lane). The codes themselves carry ~50 bits, so the hash
 * only has to make an offline search of a stolen database costly, not save a weak password.
 */
export const RECOVERY_HASH_OPTIONS = {
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The canonical form of a typed code, or null when it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, "");
  if (compact.length !== LENGTH || [...compact].some((c) => !ALPHABET.includes(c))) return null;
  return `${compact.slice(0, 5)}-${compact.slice(5)}`;
}

export function hashRecoveryCode(code: string): Promise<string> {
  return hash(code, RECOVERY_HASH_OPTIONS);
}

export async function recoveryCodeMatches(hashed: string, code: string): Promise<boolean> {
  try {
    return await verify(hashed, code);
  } catch {
    return false;
  }
}
