// TOTP (RFC 6238) through otplib: SHA-1, 6 digits, 30-second steps (what every authenticator app
// speaks), 160-bit secrets, and ±1 step of tolerance for clock drift and typing time. Which step a code
// matched is returned so the caller can refuse that step (and every earlier one) from then on.
import { generateSecret, generateSync, generateURI, verify } from "otplib";
import QRCode from "qrcode";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = "Clawden";

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, account: string): string {
  return generateURI({
    issuer: ISSUER,
    label: account,
    secret,
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
  });
}

/** An SVG QR code of the otpauth URI, as a data: URL an <img> can show (the CSP allows data: images). */
export async function totpQrCode(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

export const TOTP_CODE_PATTERN = /^\d{6}$/;

/** The time step `code` belongs to (within ±1 of now and after `afterStep`), or null. */
export async function matchTotp(
  secret: string,
  code: string,
  afterStep: number | null,
  now = Date.now(),
): Promise<number | null> {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    epoch: Math.floor(now / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  if (!result.valid) return null;
  return (result as { timeStep?: number }).timeStep ?? null;
}

/** The code of the step at `now` (what an authenticator app shows; the tests use it). */
export function currentTotp(secret: string, now = Date.now()): string {
  return generateSync({
    secret,
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    epoch: Math.floor(now / 1000),
  });
}
