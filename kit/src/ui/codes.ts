// What people type as second-factor codes, cleaned up before it is sent: pure functions, unit-tested.
// Sign-in (user-ui) and re-authentication (<reauth-dialog>, both apps) read codes through them.

/** A 6-digit code from an authenticator app, without the spaces or dashes people copy along. */
export function normaliseTotpCode(input: string): string {
  return input.replace(/[\s-]/g, "");
}

export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/**
 * A recovery code (`xxxxx-xxxxx`) as the server expects it: no spaces, lower case, and the dash put
 * back when it was left out.
 */
export function normaliseRecoveryCode(input: string): string {
  const code = input.replace(/\s/g, "").toLowerCase();
  return /^[a-z0-9]{10}$/.test(code) ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

export function isRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(code);
}

/** Either kind of code, as typed in one field (re-authentication takes both). */
export function normaliseAnyCode(input: string): string {
  const totp = normaliseTotpCode(input);
  return isTotpCode(totp) ? totp : normaliseRecoveryCode(input);
}

/** What a code field takes: a code from the app, a recovery code, or either. */
export type CodeKind = "totp" | "recovery" | "any";

/**
 * The code typed in a field of `kind`, cleaned up; null when it cannot be one (a TOTP code must be 6
 * digits; the others only not empty: the server judges the rest).
 */
export function readCode(kind: CodeKind, input: string): string | null {
  switch (kind) {
    case "totp": {
      const code = normaliseTotpCode(input);
      return isTotpCode(code) ? code : null;
    }
    case "recovery":
      return normaliseRecoveryCode(input) || null;
    case "any":
      return normaliseAnyCode(input) || null;
  }
}

/** A base32 key in groups of four, as authenticator apps show it and accept it typed in. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}
