// Single sign-on with OpenID Connect providers an administrator configured: the authorization code
// flow with PKCE (S256), a random state and nonce, bound to the browser that started it.
//
// Start: a random state (stored only as its SHA-256), a nonce and a PKCE verifier (sealed) go into
// oidc_flows for 10 minutes with the hash of a random `clawden_oidc` cookie set on the browser.
// Callback: the flow of the state is taken (DELETE ... RETURNING: single use), must belong to this
// provider and to this browser (the cookie's hash) and be live; openid-client then redeems the code
// (with the PKCE verifier) and checks the ID token (signature, iss, aud, exp, nonce). The account is
// the one linked to (provider, subject); else an account with the provider's *verified* email (linked
// now), or a new one under the sign-up policy. An unverified email never links nor creates anything.
// The sign-in then goes through completeFirstFactor, so the second factor still applies.
import { createHash } from "node:crypto";
import type { Request } from "express";
import * as client from "openid-client";
import { open, seal } from "@clawden/kit/crypto";
import type { Queryable } from "@clawden/kit/db";
import { safeEqual } from "@clawden/kit/server";
import { recordAudit, recordAuditAlone } from "../audit/log.js";
import { ownEvent } from "../audit/events.js";
import {
  deleteExpiredOidcFlows,
  findLinkedIdentity,
  getOidcProvider,
  insertLinkedIdentity,
  insertOidcFlow,
  takeOidcFlow,
  touchLinkedIdentity,
  userLinkedAt,
  type OidcProvider,
} from "../db/oidc.js";
import { hitRateLimit } from "../db/rate-limits.js";
import { getSignUpPolicy } from "../db/settings.js";
import { findUserByEmail, findUserById, insertUser, type User } from "../db/users.js";
import { emailSchema } from "../domain/email.js";
import { safeNextPath } from "../domain/next-path.js";
import { hashSecret, newSecretToken, SECRET_TOKEN_PATTERN } from "../domain/secrets.js";
import { decideSignUp } from "../domain/sign-up.js";
import type { Identity } from "../identity.js";
import { readCookie, serializeCookie } from "./cookies.js";
import { completeFirstFactor, type Outcome, type SignInBody } from "./sign-in.js";

/** How long a browser has between leaving for the provider and coming back. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;
/** How long a provider's discovered metadata is used before it is fetched again. */
export const OIDC_DISCOVERY_TTL_MS = 60 * 60_000;
/** Seconds allowed for each request to a provider (discovery, token, userinfo, keys). */
export const OIDC_HTTP_TIMEOUT_SECONDS = 10;
/** Round trips an IP may start (each stores a flow until it expires). */
export const SSO_START_LIMIT = { bucket: "sso:ip", limit: 60, windowMs: 15 * 60_000 };

export const OIDC_PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * Why a round trip failed. `code` goes to the sign-in page (`/login?error=<code>`, words in user-ui's
 * sso-errors.ts); `reason` goes to the audit log only.
 */
export class SsoFailure extends Error {
  override readonly name = "SsoFailure";
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly userId: string | null = null,
  ) {
    super(`single sign-on failed: ${reason}`);
  }
}

const clientSecretAad = (providerId: string) => `oidc_providers:${providerId}:client_secret`;
const codeVerifierAad = (stateHash: Buffer) => `oidc_flows:${stateHash.toString("hex")}:code_verifier`;

/** Seals an administrator-given client secret for the provider row `providerId`. */
export function sealClientSecret(id: Identity, providerId: string, secret: string): Buffer {
  return seal(id.keys, secret, clientSecretAad(providerId));
}

/** The address providers send the browser back to (registered at the provider as the redirect URI). */
export function ssoCallbackUrl(publicUrl: string, providerId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/api/auth/sso/${providerId}/callback`;
}

/** Issuers we talk to: https, or plain http to this machine only (local tests and development). */
export function isAllowedIssuer(issuer: string): boolean {
  if (!URL.canParse(issuer)) return false;
  const url = new URL(issuer);
  if (url.username || url.password || url.search || url.hash) return false;
  // The issuer itself, not its discovery document (openid-client skips the issuer check for those).
  if (url.pathname.includes("/.well-known/")) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

// ---------------------------------------------------------------------------------------------------
// Provider configurations (discovery), cached per server

interface CachedConfiguration {
  /** What the configuration was made from: a saved change (even on another server) makes a new one. */
  fingerprint: string;
  expiresAt: number;
  configuration: Promise<client.Configuration>;
}

const caches = new WeakMap<Identity, Map<string, CachedConfiguration>>();

function cacheOf(id: Identity): Map<string, CachedConfiguration> {
  let cache = caches.get(id);
  if (!cache) {
    cache = new Map();
    caches.set(id, cache);
  }
  return cache;
}

/** Drops the cached configuration of a provider (it was saved or deleted). */
export function forgetProviderConfiguration(id: Identity, providerId: string): void {
  cacheOf(id).delete(providerId);
}

function fingerprintOf(provider: OidcProvider): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        provider.issuer,
        provider.clientId,
        provider.updatedAt.getTime(),
        provider.clientSecretSealed?.toString("base64") ?? null,
      ]),
    )
    .digest("base64url");
}

/**
 * Client authentication with the secret, by the method the provider supports: client_secret_basic
 * (the default when it does not say), else client_secret_post.
 */
function clientSecretAuth(secret: string): client.ClientAuth {
  const basic = client.ClientSecretBasic(secret);
  const post = client.ClientSecretPost(secret);
  return (as, metadata, body, headers) => {
    const supported = as.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
    const method =
      !supported.includes("client_secret_basic") && supported.includes("client_secret_post") ? post : basic;
    method(as, metadata, body, headers);
  };
}

async function discover(id: Identity, provider: OidcProvider): Promise<client.Configuration> {
  const issuer = new URL(provider.issuer);
  const secret = provider.clientSecretSealed
    ? open(id.keys, provider.clientSecretSealed, clientSecretAad(provider.id)).toString("utf8")
    : undefined;
  // Plain http is only ever allowed to this machine (isAllowedIssuer, checked when saved and here).
  const insecure = issuer.protocol === "http:";
  return client.discovery(
    issuer,
    provider.clientId,
    secret ? { client_secret: secret } : {},
    secret ? clientSecretAuth(secret) : client.None(),
    {
      // Deprecated only to stand out: used for loopback issuers (tests, development), never remote ones.
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: OIDC_HTTP_TIMEOUT_SECONDS,
    },
  );
}

async function configurationFor(id: Identity, provider: OidcProvider): Promise<client.Configuration> {
  if (!isAllowedIssuer(provider.issuer)) throw new SsoFailure("sso_unavailable", "issuer not allowed");
  const cache = cacheOf(id);
  const fingerprint = fingerprintOf(provider);
  const cached = cache.get(provider.id);
  if (cached && cached.fingerprint === fingerprint && cached.expiresAt > Date.now()) {
    return cached.configuration;
  }
  const configuration = discover(id, provider);
  const entry = { fingerprint, expiresAt: Date.now() + OIDC_DISCOVERY_TTL_MS, configuration };
  cache.set(provider.id, entry);
  try {
    return await configuration;
  } catch (error) {
    // A failed discovery is not remembered: the next attempt asks again.
    if (cache.get(provider.id) === entry) cache.delete(provider.id);
    id.logger.warn(
      { err: error, provider: provider.id, issuer: provider.issuer },
      "OpenID provider discovery failed",
    );
    throw new SsoFailure("sso_unavailable", `discovery failed: ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof client.ResponseBodyError)
    return `${error.error}: ${error.error_description ?? error.message}`;
  if (error instanceof client.AuthorizationResponseError)
    return `${error.error}: ${error.error_description ?? error.message}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // openid-client wraps oauth4webapi's errors; the wrapped one says which check failed.
    const cause =
      error.cause instanceof Error && error.cause.message !== error.message
        ? ` (${error.cause.message})`
        : "";
    return `${typeof code === "string" ? `${code}: ` : ""}${error.message}${cause}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

async function enabledProvider(id: Identity, providerId: string): Promise<OidcProvider> {
  const provider = OIDC_PROVIDER_ID.test(providerId) ? await getOidcProvider(id.db, providerId) : null;
  if (!provider) throw new SsoFailure("sso_disabled", "unknown provider");
  if (!provider.enabled) throw new SsoFailure("sso_disabled", "provider disabled");
  return provider;
}

// ---------------------------------------------------------------------------------------------------
// Start

export interface SsoRedirect {
  location: string;
  cookies: string[];
}

/** Starts a round trip: stores the flow and answers where to send the browser, with its binding cookie. */
export async function startSsoFlow(
  id: Identity,
  req: Request,
  providerId: string,
  next: string | null,
): Promise<SsoRedirect> {
  const { db, config, keys, cookies } = id;
  const provider = await enabledProvider(id, providerId);
  const decision = await hitRateLimit(db, SSO_START_LIMIT, req.ip ?? "unknown");
  if (!decision.allowed) throw new SsoFailure("rate_limited", "too many round trips started from this IP");
  const configuration = await configurationFor(id, provider);

  const state = newSecretToken();
  const stateHash = hashSecret(state);
  const nonce = newSecretToken();
  const codeVerifier = client.randomPKCECodeVerifier();
  const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
  // One binding cookie per browser, kept across round trips (so two tabs may sign in at once).
  const existing = readCookie(req.headers.cookie, cookies.nameOf("oidc"));
  const browserToken = existing && SECRET_TOKEN_PATTERN.test(existing) ? existing : newSecretToken();

  await deleteExpiredOidcFlows(db);
  await insertOidcFlow(db, {
    stateHash,
    providerId: provider.id,
    browserHash: hashSecret(browserToken),
    nonce,
    codeVerifierSealed: seal(keys, codeVerifier, codeVerifierAad(stateHash)),
    nextPath: next === null ? null : safeNextPath(next),
    ttlMs: OIDC_FLOW_TTL_MS,
  });
  const location = client.buildAuthorizationUrl(configuration, {
    response_type: "code",
    redirect_uri: ssoCallbackUrl(config.PUBLIC_URL, provider.id),
    scope: provider.scopes,
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: "S256",
  });
  return {
    location: location.href,
    cookies: [serializeCookie(cookies, "oidc", browserToken, OIDC_FLOW_TTL_MS / 1000)],
  };
}

// ---------------------------------------------------------------------------------------------------
// Callback

interface ProviderIdentity {
  subject: string;
  /** Normalized; null when the provider gave none or not a valid address. */
  email: string | null;
  emailVerified: boolean;
}

function emailOf(claims: Readonly<Record<string, unknown>>): Omit<ProviderIdentity, "subject"> {
  const parsed = typeof claims.email === "string" ? emailSchema.safeParse(claims.email) : null;
  // Some providers send the boolean as a string; anything else is "not verified".
  const verified = claims.email_verified === true || claims.email_verified === "true";
  return parsed?.success
    ? { email: parsed.data, emailVerified: verified }
    : { email: null, emailVerified: false };
}

/** Redeems the code (PKCE), checks the ID token and reads the subject and email (else from userinfo). */
async function redeem(
  configuration: client.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<ProviderIdentity> {
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError && error.error === "access_denied")
      throw new SsoFailure("access_denied", `provider answered ${describeError(error)}`);
    throw new SsoFailure("sso_failed", `code exchange or ID token refused: ${describeError(error)}`);
  }
  const claims = tokens.claims();
  if (!claims) throw new SsoFailure("sso_failed", "no ID token");
  // The email and whether it is verified are read together, from the same source.
  let email = emailOf(claims);
  if (claims.email === undefined && tokens.access_token && configuration.serverMetadata().userinfo_endpoint) {
    try {
      // fetchUserInfo checks that userinfo's sub is the ID token's.
      email = emailOf(await client.fetchUserInfo(configuration, tokens.access_token, claims.sub));
    } catch (error) {
      throw new SsoFailure("sso_failed", `userinfo refused: ${describeError(error)}`);
    }
  }
  return { subject: claims.sub, ...email };
}

type Resolution =
  | { kind: "user"; user: User; via: "link" | "email" | "created" }
  | { kind: "refused"; code: string; reason: string; userId: string | null };

async function auditSsoLogin(
  tx: Queryable,
  req: Request,
  outcome: "success" | "failure",
  userId: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(tx, ownEvent(userId, req, "auth.sso_login", outcome, details));
}

function refusalFor(user: User): Resolution | null {
  if (user.state === "active") return null;
  return {
    kind: "refused",
    code: user.state === "pending" ? "account_pending" : "account_suspended",
    reason: `account ${user.state}`,
    userId: user.id,
  };
}

/**
 * The account for the provider's identity, by the linking rules; links and creates accounts as the
 * rules say, with their audit events, in one transaction.
 */
async function resolveAccount(
  id: Identity,
  req: Request,
  providerId: string,
  who: ProviderIdentity,
): Promise<Resolution> {
  const { db } = id;
  const linked = await findLinkedIdentity(db, providerId, who.subject);
  if (linked) {
    const user = await findUserById(db, linked.userId);
    if (!user)
      return { kind: "refused", code: "sso_failed", reason: "linked account vanished", userId: null };
    const refused = refusalFor(user);
    if (refused) return refused;
    await db.transaction(async (tx) => {
      await touchLinkedIdentity(tx, providerId, who.subject, who.emailVerified ? who.email : null);
      await auditSsoLogin(tx, req, "success", user.id, {
        provider: providerId,
        subject: who.subject,
        account: "linked",
      });
    });
    return { kind: "user", user, via: "link" };
  }
  if (!who.email)
    return { kind: "refused", code: "sso_email_unverified", reason: "no email from provider", userId: null };
  if (!who.emailVerified)
    return {
      kind: "refused",
      code: "sso_email_unverified",
      reason: "email not verified by provider",
      userId: null,
    };
  const email = who.email;

  const existing = await findUserByEmail(db, email);
  if (existing) {
    const refused = refusalFor(existing);
    if (refused) return refused;
  } else if (decideSignUp(await getSignUpPolicy(db), email) === "refused") {
    return { kind: "refused", code: "sign_up_closed", reason: "sign-up closed for this email", userId: null };
  }

  return db.transaction(async (tx): Promise<Resolution> => {
    let user = await findUserByEmail(tx, email);
    let via: "email" | "created" = "email";
    if (!user) {
      const state = decideSignUp(await getSignUpPolicy(tx), email);
      if (state === "refused")
        return {
          kind: "refused",
          code: "sign_up_closed",
          reason: "sign-up closed for this email",
          userId: null,
        };
      user = await insertUser(tx, email, "user", state);
      if (user) {
        via = "created";
        await recordAudit(
          tx,
          ownEvent(user.id, req, "user.created", "success", { state, via: "sso", provider: providerId }),
        );
      } else {
        // A concurrent sign-up of the same address won: link to that account.
        user = await findUserByEmail(tx, email);
        if (!user) throw new Error(`user ${email} vanished while being created`);
      }
    }
    // An existing account that is not active is not linked (nor signed in to) now.
    if (via === "email") {
      const refused = refusalFor(user);
      if (refused) return refused;
      // The account is linked to another subject at this provider already: the address was likely
      // given to someone else there (recycled). Its email alone does not make a second link.
      if (await userLinkedAt(tx, providerId, user.id))
        return {
          kind: "refused",
          code: "sso_failed",
          reason: "the account with this email is linked to another subject of this provider",
          userId: user.id,
        };
    }
    if (!(await insertLinkedIdentity(tx, { providerId, subject: who.subject, userId: user.id, email }))) {
      // A concurrent callback linked this subject first: it decides.
      const winner = await findLinkedIdentity(tx, providerId, who.subject);
      if (!winner || winner.userId !== user.id)
        return { kind: "refused", code: "sso_failed", reason: "subject linked concurrently", userId: null };
    }
    // A new account waiting for approval keeps its link (and is refused until approved).
    const refused = refusalFor(user);
    if (refused) return refused;
    await auditSsoLogin(tx, req, "success", user.id, {
      provider: providerId,
      subject: who.subject,
      account: via === "created" ? "created and linked" : "linked by verified email",
      email,
    });
    return { kind: "user", user, via };
  });
}

/**
 * The provider sent the browser back: checks everything and signs in (or starts the second factor).
 * Throws SsoFailure (audited) for anything refused.
 */
export async function finishSsoFlow(
  id: Identity,
  req: Request,
  providerId: string,
  currentSessionToken: string | undefined,
): Promise<Outcome<SignInBody>> {
  let userId: string | null = null;
  try {
    const query = new URL(req.originalUrl, "http://callback.invalid").searchParams;
    const state = query.get("state");
    if (!state || !SECRET_TOKEN_PATTERN.test(state))
      throw new SsoFailure("sso_state", "state missing or malformed");
    const stateHash = hashSecret(state);
    const flow = await takeOidcFlow(id.db, stateHash);
    if (!flow) throw new SsoFailure("sso_state", "state unknown or already used");
    if (flow.providerId !== providerId) throw new SsoFailure("sso_state", "state of another provider");
    const browserToken = readCookie(req.headers.cookie, id.cookies.nameOf("oidc"));
    const sameBrowser =
      browserToken !== undefined &&
      SECRET_TOKEN_PATTERN.test(browserToken) &&
      safeEqual(hashSecret(browserToken).toString("hex"), flow.browserHash.toString("hex"));
    if (!sameBrowser) throw new SsoFailure("sso_state", "started in another browser");
    if (!flow.live) throw new SsoFailure("sso_expired", "round trip expired");
    const providerError = query.get("error");
    if (providerError !== null) {
      const description = query.get("error_description")?.slice(0, 200);
      throw new SsoFailure(
        providerError === "access_denied" ? "access_denied" : "sso_failed",
        `provider answered ${providerError.slice(0, 100)}${description ? `: ${description}` : ""}`,
      );
    }

    const provider = await enabledProvider(id, providerId);
    const configuration = await configurationFor(id, provider);
    const callbackUrl = new URL(ssoCallbackUrl(id.config.PUBLIC_URL, provider.id));
    callbackUrl.search = query.toString();
    const who = await redeem(configuration, callbackUrl, {
      state,
      nonce: flow.nonce,
      codeVerifier: open(id.keys, flow.codeVerifierSealed, codeVerifierAad(stateHash)).toString("utf8"),
    });

    const resolved = await resolveAccount(id, req, provider.id, who);
    if (resolved.kind === "refused") throw new SsoFailure(resolved.code, resolved.reason, resolved.userId);
    userId = resolved.user.id;
    return await completeFirstFactor(
      id,
      req,
      resolved.user,
      `sso:${provider.id}`,
      safeNextPath(flow.nextPath),
      currentSessionToken,
    );
  } catch (error) {
    const failure =
      error instanceof SsoFailure
        ? error
        : new SsoFailure("sso_failed", `internal error: ${describeError(error)}`, userId);
    if (!(error instanceof SsoFailure))
      id.logger.error({ err: error, provider: providerId }, "single sign-on failed");
    try {
      await recordAuditAlone(
        id.db,
        ownEvent(failure.userId, req, "auth.sso_login", "failure", {
          provider: providerId.slice(0, 64),
          reason: failure.reason,
          code: failure.code,
        }),
      );
    } catch (auditError) {
      id.logger.error({ err: auditError }, "could not record a failed single sign-on");
    }
    throw failure;
  }
}
