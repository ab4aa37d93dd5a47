// The sign-in flow, from a first factor (a one-time link, or single sign-on) to a session: the second
// factor when the user has one (or must enrol), then a fresh session. No session exists before the
// second factor is passed; the pending state is a challenge held by the browser in its own cookie.
// Functions here return an outcome (answer body + cookies) that the route applies.
import type { Request } from "express";
import { recordAudit, recordAuditAlone } from "../audit/log.js";
import { ownEvent } from "../audit/events.js";
import { deleteChallenge, failChallenge, getChallenge, insertChallenge, type Challenge } from "../db/mfa.js";
import { hitRateLimit } from "../db/rate-limits.js";
import { getSignUpPolicy } from "../db/settings.js";
import { findUserByEmail, findUserById, insertUser, type User } from "../db/users.js";
import { safeNextPath } from "../domain/next-path.js";
import { csrfTokenFor, hashSecret, newSecretToken, SECRET_TOKEN_PATTERN } from "../domain/secrets.js";
import { decideSignUp, mfaRequiredFor } from "../domain/sign-up.js";
import type { Identity } from "../identity.js";
import { signInLinkMail, signUpRefusedMail } from "../mail/messages.js";
import { clearCookie, readCookie, serializeCookie } from "./cookies.js";
import { authErrors } from "./errors.js";
import { LINK_TTL_MS, issueMagicLink, redeemMagicLink } from "./magic-links.js";
import {
  beginTotpEnrolment,
  checkSecondFactor,
  mfaEnabled,
  regenerateRecoveryCodes,
  type CodeCheck,
  type Enrolment,
} from "./mfa.js";
import { publicUser, type PublicUser } from "../http/serializers.js";
import { cookieMaxAge, endSession, reauthenticatedUntil, renewSession, startSession } from "./sessions.js";

export const CHALLENGE_TTL_MS = 10 * 60_000;
export const CHALLENGE_MAX_FAILURES = 5;
export const LINK_LIMITS = {
  perEmail: { bucket: "link:email", limit: 5, windowMs: 15 * 60_000 },
  perIp: { bucket: "link:ip", limit: 30, windowMs: 15 * 60_000 },
};

export type SignInBody =
  | {
      status: "signed-in";
      user: PublicUser;
      next: string;
      csrfToken: string;
      recoveryCodesLeft?: number;
      recoveryCodes?: string[];
    }
  | Reauthenticated
  | { status: "mfa-required" | "mfa-enrolment-required"; next: string };

export interface Reauthenticated {
  status: "reauthenticated";
  next: string;
  csrfToken: string;
  reauthenticatedUntil: string;
}

export interface Outcome<B> {
  body: B;
  cookies: string[];
}

const clientOf = (req: Request) => ({ ip: req.ip, userAgent: req.get("user-agent") });

// ---------------------------------------------------------------------------------------------------
// One-time links

/** The browser-binding token of links asked for by this browser: its own while valid, else a new one. */
function browserBinding(id: Identity, req: Request): string {
  const existing = readCookie(req.headers.cookie, id.cookies.nameOf("login"));
  return existing && SECRET_TOKEN_PATTERN.test(existing) ? existing : newSecretToken();
}

/** Mails a link (in the background); without mail configured, or when asked to, it is logged too. */
function mailLink(id: Identity, email: string, url: string, purpose: "login" | "reauth"): void {
  id.mailer.send(signInLinkMail(email, url, LINK_TTL_MS[purpose] / 60_000, purpose), { purpose });
  if (!id.mailer.delivers || id.config.LOG_SIGN_IN_LINKS)
    id.logger.info(
      { email, link: url, purpose },
      "sign-in link (mail is not configured; shown here instead)",
    );
}

/**
 * Asks for a sign-in link for `email`. Answers the same whatever the address (mail goes out in the
 * background); counts against per-IP and per-email limits (429). Returns the browser-binding cookie.
 */
export async function requestSignInLink(
  id: Identity,
  req: Request,
  email: string,
  next: string | null,
): Promise<Outcome<{ status: "sent" }>> {
  const { db, config, cookies, mailer } = id;
  for (const [rule, subject] of [
    [LINK_LIMITS.perIp, req.ip ?? "unknown"],
    [LINK_LIMITS.perEmail, email],
  ] as const) {
    const decision = await hitRateLimit(db, rule, subject);
    if (!decision.allowed) throw authErrors.linkRateLimited(decision.retryAfterSeconds);
  }
  const browserToken = browserBinding(id, req);
  const user = await findUserByEmail(db, email);
  const policy = await getSignUpPolicy(db);
  let sent: "link" | "refusal" | "nothing" = "link";
  if (user?.state === "suspended") sent = "nothing";
  else if (!user && decideSignUp(policy, email) === "refused") sent = "refusal";
  if (sent === "link") {
    const link = await issueMagicLink(db, config.PUBLIC_URL, {
      purpose: "login",
      userId: user?.id ?? null,
      email: user ? null : email,
      browserToken,
      next: next ? safeNextPath(next) : null,
    });
    mailLink(id, email, link.url, "login");
  } else if (sent === "refusal") {
    mailer.send(signUpRefusedMail(email, config.PUBLIC_URL), { purpose: "sign-up refused" });
  }
  await recordAuditAlone(
    db,
    ownEvent(
      user?.id ?? null,
      req,
      "auth.link_requested",
      sent === "link" ? "success" : "denied",
      user ? {} : { newAccount: true, refused: sent === "refusal" },
    ),
  );
  return {
    body: { status: "sent" },
    cookies: [serializeCookie(cookies, "login", browserToken, LINK_TTL_MS.login / 1000)],
  };
}

/** Mails a re-authentication link for the signed-in user, bound to this browser. */
export async function requestReauthLink(
  id: Identity,
  req: Request,
  user: User,
): Promise<Outcome<{ status: "sent" }>> {
  const decision = await hitRateLimit(id.db, LINK_LIMITS.perEmail, user.email);
  if (!decision.allowed) throw authErrors.linkRateLimited(decision.retryAfterSeconds);
  const browserToken = browserBinding(id, req);
  const link = await issueMagicLink(id.db, id.config.PUBLIC_URL, {
    purpose: "reauth",
    userId: user.id,
    browserToken,
    next: "/account/security",
  });
  mailLink(id, user.email, link.url, "reauth");
  return {
    body: { status: "sent" },
    cookies: [serializeCookie(id.cookies, "login", browserToken, LINK_TTL_MS.reauth / 1000)],
  };
}

async function failLogin(id: Identity, req: Request, reason: string, userId: string | null): Promise<void> {
  await recordAuditAlone(id.db, ownEvent(userId, req, "auth.login", "failure", { method: "link", reason }));
}

/** The account a link's email stands for, created under the sign-up policy when it has none yet. */
async function accountForEmail(id: Identity, req: Request, email: string): Promise<User> {
  const existing = await findUserByEmail(id.db, email);
  if (existing) return existing;
  const policy = await getSignUpPolicy(id.db);
  const decision = decideSignUp(policy, email);
  if (decision === "refused") throw authErrors.signUpClosed();
  return id.db.transaction(async (tx) => {
    const user = await insertUser(tx, email, "user", decision);
    if (!user) return (await findUserByEmail(tx, email))!;
    await recordAudit(
      tx,
      ownEvent(user.id, req, "user.created", "success", { state: decision, via: "sign-up" }),
    );
    return user;
  });
}

export async function consumeSignInLink(
  id: Identity,
  req: Request,
  token: string,
  currentSession: { token: string; userId: string } | undefined,
): Promise<Outcome<SignInBody>> {
  const browserToken = readCookie(req.headers.cookie, id.cookies.nameOf("login"));
  const redeemed = await redeemMagicLink(id.db, token, browserToken);
  if (redeemed.status !== "ok") {
    await failLogin(id, req, redeemed.status, null);
    if (redeemed.status === "expired") throw authErrors.linkExpired();
    if (redeemed.status === "other_browser") throw authErrors.linkOtherBrowser();
    throw authErrors.linkInvalid();
  }
  const next = safeNextPath(redeemed.nextPath, redeemed.purpose === "reauth" ? "/account/security" : "/");
  const user = redeemed.userId
    ? await findUserById(id.db, redeemed.userId)
    : await accountForEmail(id, req, redeemed.email!);
  if (!user) throw authErrors.linkInvalid();
  if (user.state !== "active") {
    await failLogin(id, req, `account ${user.state}`, user.id);
    throw user.state === "pending" ? authErrors.accountPending() : authErrors.accountSuspended();
  }
  if (redeemed.purpose === "reauth") {
    if (!currentSession || currentSession.userId !== user.id) throw authErrors.reauthMismatch();
    return reauthenticate(id, req, user, currentSession.token, "link", next);
  }
  return completeFirstFactor(
    id,
    req,
    user,
    redeemed.purpose === "operator" ? "operator-link" : "link",
    next,
    currentSession?.token,
  );
}

// ---------------------------------------------------------------------------------------------------
// After the first factor

/**
 * The first factor is passed: a session when no second factor applies, otherwise a challenge (enter
 * a code, or enrol first when MFA is required and the user has none).
 */
export async function completeFirstFactor(
  id: Identity,
  req: Request,
  user: User,
  method: string,
  next: string,
  replacedSessionToken?: string,
): Promise<Outcome<SignInBody>> {
  const { db, cookies } = id;
  const enabled = await mfaEnabled(db, user.id);
  const required = mfaRequiredFor(await getSignUpPolicy(db), user.role);
  if (!enabled && !required)
    return startSignedInSession(id, req, user, {
      method,
      next,
      details: { mfa: false },
      replaces: replacedSessionToken,
    });
  const challengeToken = newSecretToken();
  const kind = enabled ? "verify" : "enrol";
  await insertChallenge(db, {
    idHash: hashSecret(challengeToken),
    userId: user.id,
    kind,
    method,
    nextPath: next,
    ttlMs: CHALLENGE_TTL_MS,
  });
  const cookieList = [serializeCookie(cookies, "mfa", challengeToken, CHALLENGE_TTL_MS / 1000)];
  // Whatever session the browser had is over: signing in as someone (else) starts from nothing.
  if (replacedSessionToken) {
    await endSession(db, replacedSessionToken);
    cookieList.push(clearCookie(cookies, "session"));
  }
  return {
    body: { status: kind === "verify" ? "mfa-required" : "mfa-enrolment-required", next },
    cookies: cookieList,
  };
}

interface SessionStart {
  /** How the first factor was passed ("link", "sso:<provider>"...). */
  method: string;
  next: string;
  /** What the audit event adds (which second factor...). */
  details: Record<string, unknown>;
  /** The session cookie the browser had, ended now. */
  replaces?: string | undefined;
  /** Added to the answer. */
  extra?: { recoveryCodesLeft?: number; recoveryCodes?: string[] };
}

async function startSignedInSession(
  id: Identity,
  req: Request,
  user: User,
  { method, next, details, replaces, extra = {} }: SessionStart,
): Promise<Outcome<SignInBody>> {
  const { db, cookies, limits } = id;
  const session = await db.transaction(async (tx) => {
    // A sign-in always gets a new id: a session the browser had (or was planted with) is ended.
    if (replaces) await endSession(tx, replaces);
    const started = await startSession(tx, limits, user.id, clientOf(req), method);
    await recordAudit(
      tx,
      ownEvent(
        user.id,
        req,
        "auth.login",
        "success",
        { method, ...details },
        { type: "session", id: started.id },
      ),
    );
    return started;
  });
  return {
    body: {
      status: "signed-in",
      user: publicUser(user),
      next,
      csrfToken: csrfTokenFor(session.token),
      ...extra,
    },
    cookies: [
      serializeCookie(cookies, "session", session.token, cookieMaxAge(session.expiresAt)),
      clearCookie(cookies, "mfa"),
      clearCookie(cookies, "login"),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// The challenge

export interface ActiveChallenge {
  token: string;
  challenge: Challenge;
  user: User;
}

export async function currentChallenge(id: Identity, req: Request): Promise<ActiveChallenge> {
  const token = readCookie(req.headers.cookie, id.cookies.nameOf("mfa"));
  if (!token || !SECRET_TOKEN_PATTERN.test(token)) throw authErrors.noChallenge();
  const challenge = await getChallenge(id.db, hashSecret(token));
  if (!challenge) throw authErrors.noChallenge();
  const user = await findUserById(id.db, challenge.userId);
  if (!user || user.state !== "active") throw authErrors.noChallenge();
  return { token, challenge, user };
}

async function wrongCode(
  id: Identity,
  req: Request,
  active: ActiveChallenge,
  lockedUntil: Date | null,
): Promise<never> {
  const failures = await failChallenge(id.db, hashSecret(active.token));
  await recordAuditAlone(
    id.db,
    ownEvent(active.user.id, req, "auth.mfa_verify", "failure", {
      challenge: active.challenge.kind,
      failures,
      locked: lockedUntil !== null,
    }),
  );
  if (failures >= CHALLENGE_MAX_FAILURES) {
    await deleteChallenge(id.db, hashSecret(active.token));
    throw authErrors.noChallenge("Too many wrong codes. Sign in again.");
  }
  if (lockedUntil) throw authErrors.mfaLocked(lockedUntil);
  throw authErrors.mfaInvalid(CHALLENGE_MAX_FAILURES - failures);
}

/** Checks `code` for the challenge's user; a wrong code is counted (and may end the challenge). */
async function passChallenge(
  id: Identity,
  req: Request,
  active: ActiveChallenge,
  code: string,
  confirmEnrolment: boolean,
): Promise<Extract<CodeCheck, { ok: true }>> {
  const check = await checkSecondFactor(id.db, id.keys, active.user.id, code, { confirmEnrolment });
  if (check.ok) return check;
  if (check.reason === "locked") throw authErrors.mfaLocked(check.lockedUntil);
  return wrongCode(id, req, active, check.lockedUntil);
}

/** Ends a passed challenge; one challenge, one session: a second request racing with it loses here. */
async function endChallenge(id: Identity, active: ActiveChallenge): Promise<void> {
  if (!(await deleteChallenge(id.db, hashSecret(active.token)))) throw authErrors.noChallenge();
}

/** The session a passed challenge leads to. */
function sessionAfter(
  id: Identity,
  req: Request,
  active: ActiveChallenge,
  details: Record<string, unknown>,
  extra: SessionStart["extra"],
): Promise<Outcome<SignInBody>> {
  return startSignedInSession(id, req, active.user, {
    method: active.challenge.method,
    next: safeNextPath(active.challenge.nextPath),
    details,
    replaces: readCookie(req.headers.cookie, id.cookies.name),
    extra,
  });
}

export async function verifyChallenge(
  id: Identity,
  req: Request,
  code: string,
): Promise<Outcome<SignInBody>> {
  const active = await currentChallenge(id, req);
  if (active.challenge.kind !== "verify")
    throw authErrors.noChallenge("Set up your authenticator app first.");
  const check = await passChallenge(id, req, active, code, false);
  await endChallenge(id, active);
  return sessionAfter(id, req, active, { mfa: check.via }, { recoveryCodesLeft: check.recoveryCodesLeft });
}

export async function beginChallengeEnrolment(id: Identity, req: Request): Promise<Enrolment> {
  const active = await currentChallenge(id, req);
  if (active.challenge.kind !== "enrol") throw authErrors.mfaAlreadyEnabled();
  const enrolment = await beginTotpEnrolment(id.db, id.keys, active.user.id, active.user.email);
  if (!enrolment) throw authErrors.mfaAlreadyEnabled();
  return enrolment;
}

export async function confirmChallengeEnrolment(
  id: Identity,
  req: Request,
  code: string,
): Promise<Outcome<SignInBody>> {
  const active = await currentChallenge(id, req);
  if (active.challenge.kind !== "enrol") throw authErrors.mfaAlreadyEnabled();
  await passChallenge(id, req, active, code, true);
  await endChallenge(id, active);
  const recoveryCodes = await id.db.transaction(async (tx) => {
    const codes = await regenerateRecoveryCodes(tx, active.user.id);
    await recordAudit(
      tx,
      ownEvent(active.user.id, req, "mfa.enrolled", "success", { method: "totp", during: "sign-in" }),
    );
    return codes;
  });
  return sessionAfter(id, req, active, { mfa: "totp-enrolled" }, { recoveryCodes });
}

// ---------------------------------------------------------------------------------------------------
// Re-authentication of a signed-in session

export async function reauthenticate(
  id: Identity,
  req: Request,
  user: User,
  sessionToken: string,
  method: "totp" | "recovery" | "link",
  next: string,
): Promise<Outcome<Reauthenticated>> {
  const renewed = await id.db.transaction(async (tx) => {
    const session = await renewSession(tx, sessionToken);
    if (session) await recordAudit(tx, ownEvent(user.id, req, "auth.reauth", "success", { method }));
    return session;
  });
  if (!renewed) throw authErrors.reauthMismatch();
  return {
    body: {
      status: "reauthenticated",
      next,
      csrfToken: csrfTokenFor(renewed.token),
      reauthenticatedUntil: reauthenticatedUntil(renewed).toISOString(),
    },
    cookies: [
      serializeCookie(id.cookies, "session", renewed.token, cookieMaxAge(renewed.expiresAt)),
      clearCookie(id.cookies, "login"),
    ],
  };
}

/** Re-authenticates with a second-factor code (TOTP or recovery). */
export async function reauthenticateWithCode(
  id: Identity,
  req: Request,
  user: User,
  sessionToken: string,
  code: string,
): Promise<Outcome<Reauthenticated>> {
  const check = await checkSecondFactor(id.db, id.keys, user.id, code);
  if (!check.ok) {
    await recordAuditAlone(
      id.db,
      ownEvent(user.id, req, "auth.reauth", "failure", { locked: check.lockedUntil !== null }),
    );
    if (check.lockedUntil) throw authErrors.mfaLocked(check.lockedUntil);
    throw authErrors.mfaInvalid(undefined);
  }
  return reauthenticate(id, req, user, sessionToken, check.via, "/account/security");
}
