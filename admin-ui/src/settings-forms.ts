// What the Sign-up & SSO page's forms hold, checked and turned into request bodies: the allowlist
// textarea (one email or @domain per line) and an SSO provider's fields. Pure functions, unit-tested in
// settings-forms.test.ts.

export const SIGN_UP_MODES = ["open", "allowlist", "approval"] as const;
export type SignUpMode = (typeof SIGN_UP_MODES)[number];
export const MFA_REQUIRED = ["off", "admins", "everyone"] as const;
export type MfaRequired = (typeof MFA_REQUIRED)[number];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

export interface ParsedAllowlist {
  /** Lower-cased, without blanks or repeats, in the order given. */
  entries: string[];
  /** Lines that are neither an email nor an @domain, as typed. */
  invalid: string[];
}

/** The allowlist textarea's lines: emails and @domains; blank lines and repeats dropped. */
export function parseAllowlist(text: string): ParsedAllowlist {
  const entries: string[] = [];
  const invalid: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim().toLowerCase();
    if (!entry) continue;
    if (!EMAIL.test(entry) && !DOMAIN.test(entry)) invalid.push(line.trim());
    else if (!entries.includes(entry)) entries.push(entry);
  }
  return { entries, invalid };
}

/** The textarea's text for saved entries. */
export function allowlistText(entries: readonly string[]): string {
  return entries.join("\n");
}

/** An SSO provider's id: lower-case letters, digits and hyphens, as the server stores it. */
const SSO_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const DEFAULT_SSO_SCOPES = "openid email profile";

export interface SsoForm {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  /** "" keeps the stored secret (a new provider without one is a public client). */
  clientSecret: string;
  /** Remove the stored secret: the provider becomes a public client (PKCE only). */
  removeSecret: boolean;
  /** Space-separated. */
  scopes: string;
  enabled: boolean;
}

export interface SsoProviderBody {
  name: string;
  issuer: string;
  clientId: string;
  /** Absent: keep the stored secret; null: remove it. */
  clientSecret?: string | null;
  scopes?: string;
  enabled: boolean;
}

export type SsoFormResult = { ok: true; id: string; body: SsoProviderBody } | { ok: false; message: string };

/** The body of PUT /api/admin/sso/{id} for the form, or what is wrong with it. */
export function ssoRequest(form: SsoForm): SsoFormResult {
  const id = form.id.trim();
  if (!SSO_ID_PATTERN.test(id)) {
    return {
      ok: false,
      message:
        "The id takes lower-case letters, digits and hyphens (up to 32), starting with a letter or digit.",
    };
  }
  const name = form.name.trim();
  if (!name) return { ok: false, message: "Give the provider a name people will recognise." };
  const issuer = form.issuer.trim();
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) {
    return { ok: false, message: "The issuer URL must be an https:// (or http://) address." };
  }
  const clientId = form.clientId.trim();
  if (!clientId) return { ok: false, message: "The client id is missing." };
  const clientSecret = form.clientSecret.trim();
  if (clientSecret && form.removeSecret) {
    return { ok: false, message: "Either type a new client secret or remove the stored one, not both." };
  }
  const scopes = form.scopes.trim().split(/\s+/).filter(Boolean).join(" ");
  if (scopes && !scopes.split(" ").includes("openid")) {
    return { ok: false, message: "The scopes must include openid (this is OpenID Connect)." };
  }
  const body: SsoProviderBody = { name, issuer, clientId, enabled: form.enabled };
  if (clientSecret) body.clientSecret = clientSecret;
  else if (form.removeSecret) body.clientSecret = null;
  if (scopes) body.scopes = scopes;
  return { ok: true, id, body };
}
