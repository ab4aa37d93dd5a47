// How user-ui shows times and devices: pure functions, so they are unit-tested without a browser.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "yesterday", "in 30 days"… of an ISO time, seen at `now`. */
export function formatRelative(iso: string, now: Date = new Date(), locale = "en"): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "unknown";
  const seconds = Math.round((at - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(Math.sign(seconds), "minute");
}

/** A date and time for people, in their own locale and time zone (for title attributes and tables). */
export function formatDateTime(iso: string, locale?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "unknown";
  return at.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** A date for people, in their own locale ("12 Mar 2026"). */
export function formatDate(iso: string, locale?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "unknown";
  return at.toLocaleDateString(locale, { dateStyle: "medium" });
}

/** A session's device as the server names it ("Firefox on Windows"), shortened for the table. */
export function describeDevice(device: string | null | undefined): string {
  const text = (device ?? "").trim();
  if (!text) return "Unknown device";
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** How a session was signed in to ("link", "sso"…), in words; unknown methods as they are. */
export function describeSignInMethod(method: string | null | undefined): string {
  switch (method) {
    case "link":
    case "magic-link":
      return "email link";
    case "operator":
    case "operator-link":
      return "operator link";
    case "sso":
    case "oidc":
      return "single sign-on";
    case "mfa":
    case "totp":
      return "email link and authenticator app";
    case null:
    case undefined:
    case "":
      return "unknown";
    default:
      return method.startsWith("sso:") ? "single sign-on" : method;
  }
}
