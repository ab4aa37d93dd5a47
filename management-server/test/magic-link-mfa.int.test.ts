// Sign-in by mailed link and the second factor, through the real HTTP API with mail delivered over
// real SMTP, and the attacks on them: another browser's link, GET on the link, unknown addresses,
// rate limits that survive a restart, TOTP replay and brute force, recovery-code reuse. Our TOTP codes
// are checked against an independent implementation (oathtool).
import { execFileSync } from "node:child_process";
import type { Database } from "@clawden/kit/db";
import { generateSync } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureUser, findUserByEmail } from "../src/db/users.js";
import { currentTotp, matchTotp } from "../src/domain/totp.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { useIdentityApp } from "./support/identity-app.js";
import { BrowserClient } from "./support/browser-client.js";
import type { Mailbox } from "./support/mailbox.js";

const testbed = useIdentityApp();
const policy = (changes?: Parameters<typeof testbed.policy>[0]) => testbed.policy(changes);
let app: TestApp;
let db: Database;
let mailbox: Mailbox;
beforeAll(() => {
  ({ app, db, mailbox } = testbed);
});

/** A browser that signs in by mail as `email` and has TOTP set up; returns it with the secret. */
async function signInByMail(email: string, browser = new BrowserClient(app)) {
  return { browser, answer: await browser.signInByMail(mailbox, email) };
}

async function enrolTotp(browser: BrowserClient): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await browser.post<{ secret: string; otpauthUri: string; qrCode: string }>(
    "/api/account/mfa/totp",
  );
  expect(started.status).toBe(200);
  const { secret } = started.body;
  const confirmed = await browser.post<{ recoveryCodes: string[] }>("/api/account/mfa/totp/confirm", {
    code: currentTotp(secret),
  });
  expect(confirmed.status).toBe(200);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes };
}

/**
 * A code no one has used yet: the next time step's, which the ±1 tolerance accepts now (enrolment
 * used the current step, and a code is never accepted twice).
 */
function freshCode(secret: string): string {
  return currentTotp(secret, Date.now() + 30_000);
}

describe("sign-in links by mail", () => {
  it("mails a link over SMTP that signs in only the browser that asked, once", async () => {
    await ensureUser(db, "mail@example.com", "user");
    const browser = new BrowserClient(app);
    const asked = await browser.requestLink("mail@example.com", "/account/security");
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ status: "sent" });
    expect(browser.cookies.get("clawden_login")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const mail = await mailbox.waitFor("mail@example.com");
    expect(mail.subject).toBe("Your Clawden sign-in link");
    expect(mail.from).toContain("no-reply@clawden.test");
    const link = /https?:\/\/\S+/.exec(mail.text)![0];
    expect(link.startsWith(`${app.url}/login/confirm#token=`)).toBe(true);
    // The token is in the fragment (never sent to a server by a browser), 256 bits.
    const fragment = new URLSearchParams(new URL(link).hash.slice(1));
    expect(fragment.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fragment.get("next")).toBe("/account/security");

    const done = await browser.consumeLink(link);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "signed-in", next: "/account/security" });
    expect((await browser.me()).body.user.email).toBe("mail@example.com");
    expect(browser.cookies.has("clawden_login")).toBe(false);

    const again = await new BrowserClient(app).consumeLink(link);
    expect(again.status).toBe(400);
    expect(again.body.error!.code).toBe("link_invalid");
  });

  it("refuses a link opened in another browser, and leaves it for the one that asked", async () => {
    await ensureUser(db, "bound@example.com", "user");
    const asker = new BrowserClient(app);
    await asker.requestLink("bound@example.com");
    const link = await mailbox.waitForLink("bound@example.com");
    const thief = new BrowserClient(app);
    const stolen = await thief.consumeLink(link);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error!.code).toBe("link_other_browser");
    expect(thief.session).toBeUndefined();
    // A forged binding cookie does not help either.
    thief.cookies.set("clawden_login", "A".repeat(43));
    expect((await thief.consumeLink(link)).body.error!.code).toBe("link_other_browser");
    expect((await asker.consumeLink(link)).status).toBe(200);
  });

  it("does not sign in on GET: the link's page is only a page, and the link stays usable", async () => {
    await ensureUser(db, "scanner@example.com", "user");
    const browser = new BrowserClient(app);
    await browser.requestLink("scanner@example.com");
    const link = await mailbox.waitForLink("scanner@example.com");
    // What a mail scanner does: GET the URL (the fragment is never sent).
    const scanned = await fetch(link.split("#")[0]!, {
      headers: { accept: "text/html", cookie: browser.cookieHeader() },
    });
    expect(scanned.status).toBe(200);
    expect(scanned.headers.getSetCookie()).toEqual([]);
    expect(await scanned.text()).toContain("<html");
    // GET on the consuming endpoint does nothing either.
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get("token")!;
    const viaGet = await fetch(`${app.url}/api/auth/magic-link/consume?token=${token}`, {
      headers: { cookie: browser.cookieHeader() },
    });
    expect(viaGet.status).toBe(404);
    expect((await browser.consumeLink(link)).status).toBe(200);
  });

  it("refuses an expired link", async () => {
    await ensureUser(db, "slow@example.com", "user");
    const browser = new BrowserClient(app);
    await browser.requestLink("slow@example.com");
    const link = await mailbox.waitForLink("slow@example.com");
    await db.query("UPDATE magic_links SET expires_at = now() - interval '1 second'");
    const late = await browser.consumeLink(link);
    expect(late.status).toBe(400);
    expect(late.body.error!.code).toBe("link_expired");
  });

  it("answers the same for known and unknown addresses, and makes the account on first use (open sign-up)", async () => {
    await ensureUser(db, "known@example.com", "user");
    const known = await new BrowserClient(app).requestLink("known@example.com");
    const unknownBrowser = new BrowserClient(app);
    const unknown = await unknownBrowser.requestLink("newcomer@example.com");
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    expect(await findUserByEmail(db, "newcomer@example.com")).toBeNull();
    const link = await mailbox.waitForLink("newcomer@example.com");
    const used = await unknownBrowser.consumeLink(link);
    expect(used.status).toBe(200);
    expect((await findUserByEmail(db, "newcomer@example.com"))!.state).toBe("active");
    await mailbox.waitForLink("known@example.com");
  });

  it("makes a pending account in approval mode: no session until an administrator approves", async () => {
    await policy({ mode: "approval" });
    const { answer, browser } = await signInByMail("waiting@example.com");
    expect(answer.status).toBe(403);
    expect(answer.body.error!.code).toBe("account_pending");
    expect(browser.session).toBeUndefined();
    expect((await findUserByEmail(db, "waiting@example.com"))!.state).toBe("pending");
    // A pending user's next link does not sign in either.
    const second = await signInByMail("waiting@example.com");
    expect(second.answer.body.error!.code).toBe("account_pending");
  });

  it("sends no link to addresses off the allowlist (same answer), and lets listed ones and domains in", async () => {
    await policy({ mode: "allowlist", allowlist: ["@team.example", "solo@else.example"] });
    const outsider = await new BrowserClient(app).requestLink("outsider@else.example");
    expect(outsider.status).toBe(202);
    expect(outsider.body).toEqual({ status: "sent" });
    const refusal = await mailbox.waitFor("outsider@else.example");
    expect(refusal.subject).toContain("cannot sign up");
    expect(refusal.text).not.toContain("/login/confirm");
    expect((await signInByMail("someone@team.example")).answer.status).toBe(200);
    expect((await signInByMail("solo@else.example")).answer.status).toBe(200);
  });

  it("sends nothing to a suspended account", async () => {
    const { user } = await ensureUser(db, "banned@example.com", "user");
    await db.query("UPDATE users SET state = 'suspended' WHERE id = $1", [user.id]);
    const before = mailbox.received.length;
    expect((await new BrowserClient(app).requestLink("banned@example.com")).status).toBe(202);
    // Every mail the request queued has reached the receiver (or been given up on) by now.
    await app.identity.mailer.idle();
    expect(mailbox.received.slice(before).some((m) => m.envelopeTo.includes("banned@example.com"))).toBe(
      false,
    );
  });

  it("rate-limits per address and per IP in PostgreSQL, so the limits hold across a restart", async () => {
    await ensureUser(db, "eager@example.com", "user");
    const browser = new BrowserClient(app);
    for (let i = 0; i < 5; i++) expect((await browser.requestLink("eager@example.com")).status).toBe(202);
    const limited = await browser.requestLink("eager@example.com");
    expect(limited.status).toBe(429);
    expect(limited.body.error!.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // A new server process on the same database remembers.
    const restarted = await startTestApp(db, mailbox.env);
    try {
      const after = await new BrowserClient(restarted).requestLink("eager@example.com");
      expect(after.status).toBe(429);
      // Per IP: 30 in the window, whatever the addresses.
      await db.query("DELETE FROM rate_limits");
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++)
        statuses.push((await new BrowserClient(restarted).requestLink(`ip${i}@example.com`)).status);
      expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
      expect(statuses[30]).toBe(429);
    } finally {
      await restarted.close();
    }
  });

  it("validates the request: a malformed address is a 400 that names the field", async () => {
    const answer = await new BrowserClient(app).requestLink("not an email");
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain("email");
  });
});

describe("TOTP second factor", () => {
  it("agrees with an independent implementation (oathtool) on codes and time steps", async () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    for (const at of ["2026-01-01 00:00:00", "2026-11-23 12:34:56", "2030-06-15 23:59:59"]) {
      const when = Date.parse(`${at.replace(" ", "T")}Z`);
      const theirs = execFileSync("oathtool", ["--totp", "-b", "--now", `${at} UTC`, secret], {
        encoding: "utf8",
      }).trim();
      expect(currentTotp(secret, when)).toBe(theirs);
      expect(await matchTotp(secret, theirs, null, when)).toBe(Math.floor(when / 30_000));
      // ±1 step is accepted; 2 steps away is not.
      const earlier = execFileSync(
        "oathtool",
        [
          "--totp",
          "-b",
          "--now",
          new Date(when - 30_000)
            .toISOString()
            .replace("T", " ")
            .replace(/\.\d+Z$/, " UTC"),
          secret,
        ],
        { encoding: "utf8" },
      ).trim();
      expect(await matchTotp(secret, earlier, null, when)).toBe(Math.floor(when / 30_000) - 1);
      const stale = currentTotp(secret, when - 90_000);
      if (stale !== theirs && stale !== earlier)
        expect(await matchTotp(secret, stale, null, when)).toBeNull();
    }
  });

  it("enrols with a QR code and a first code, then asks for a code at sign-in before any session exists", async () => {
    const { browser } = await signInByMail("totp@example.com");
    const started = await browser.post<{ secret: string; otpauthUri: string; qrCode: string }>(
      "/api/account/mfa/totp",
    );
    expect(started.body.otpauthUri).toMatch(
      /^otpauth:\/\/totp\/Clawden:totp%40example\.com\?.*secret=[A-Z2-7]+/,
    );
    expect(started.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(started.body.qrCode.split(",")[1]!, "base64").toString()).toContain("<svg");
    // A wrong first code does not turn MFA on.
    const wrong = await browser.post("/api/account/mfa/totp/confirm", { code: "000000" });
    expect(wrong.status).toBe(400);
    expect((await browser.me()).body.mfa.enabled).toBe(false);
    // oathtool, not our code, computes the confirming code.
    const code = execFileSync("oathtool", ["--totp", "-b", started.body.secret], { encoding: "utf8" }).trim();
    const confirmed = await browser.post<{ recoveryCodes: string[] }>("/api/account/mfa/totp/confirm", {
      code,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
    for (const c of confirmed.body.recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect((await browser.me()).body.mfa).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // The seed is sealed at rest, recovery codes are Argon2id hashes.
    const stored = await db.query<{ secret_sealed: Buffer }>("SELECT secret_sealed FROM mfa_totp");
    for (const row of stored.rows)
      expect(row.secret_sealed.toString("latin1")).not.toContain(started.body.secret);
    const hashes = await db.query<{ code_hash: string }>("SELECT code_hash FROM recovery_codes");
    for (const row of hashes.rows) expect(row.code_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const other = new BrowserClient(app);
    const first = await signInByMail("totp@example.com", other);
    expect(first.answer.body).toMatchObject({ status: "mfa-required" });
    expect(other.session).toBeUndefined();
    expect(other.cookies.get("clawden_mfa")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await other.get("/api/me")).status).toBe(401);
    const challenge = await other.get<{ kind: string; email: string; attemptsLeft: number }>(
      "/api/auth/challenge",
    );
    expect(challenge.body).toMatchObject({ kind: "verify", email: "totp@example.com", attemptsLeft: 5 });
    const bad = await other.post("/api/auth/mfa/verify", { code: "123456" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "mfa_invalid", details: { attemptsLeft: 4 } } });
    const good = await other.post<{ status: string }>("/api/auth/mfa/verify", {
      code: freshCode(started.body.secret),
    });
    expect(good.status).toBe(200);
    expect(good.body.status).toBe("signed-in");
    expect(other.session).toBeDefined();
    expect(other.cookies.has("clawden_mfa")).toBe(false);
    expect((await other.me()).status).toBe(200);
  });

  it("never accepts the same code twice, even from another sign-in", async () => {
    const { browser } = await signInByMail("replay@example.com");
    const { secret } = await enrolTotp(browser);
    const code = freshCode(secret);
    const a = new BrowserClient(app);
    await signInByMail("replay@example.com", a);
    expect((await a.post("/api/auth/mfa/verify", { code })).status).toBe(200);
    const b = new BrowserClient(app);
    await signInByMail("replay@example.com", b);
    const replayed = await b.post("/api/auth/mfa/verify", { code });
    expect(replayed.status).toBe(400);
    expect(replayed.body.error!.code).toBe("mfa_invalid");
    expect(b.session).toBeUndefined();
  });

  it("lets exactly one of several requests racing with the same fresh code through", async () => {
    const { browser } = await signInByMail("race@example.com");
    const { secret } = await enrolTotp(browser);
    const fresh = freshCode(secret);
    const racers = [new BrowserClient(app), new BrowserClient(app), new BrowserClient(app)];
    for (const r of racers) await signInByMail("race@example.com", r);
    const results = await Promise.all(racers.map((r) => r.post("/api/auth/mfa/verify", { code: fresh })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it("ends a challenge after 5 wrong codes and locks the second factor with growing back-off", async () => {
    const { browser } = await signInByMail("guess@example.com");
    const { secret } = await enrolTotp(browser);
    const attacker = new BrowserClient(app);
    await signInByMail("guess@example.com", attacker);
    const statuses: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      const guess = await attacker.post("/api/auth/mfa/verify", { code: String(100000 + i) });
      statuses.push(guess.body.error?.code);
    }
    expect(statuses).toEqual(["mfa_invalid", "mfa_invalid", "mfa_invalid", "mfa_invalid", "no_challenge"]);
    expect((await attacker.post("/api/auth/mfa/verify", { code: "999999" })).status).toBe(401);
    // A new challenge meets the lockout, even with the right code.
    await signInByMail("guess@example.com", attacker);
    const locked = await attacker.post("/api/auth/mfa/verify", { code: freshCode(secret) });
    expect(locked.status).toBe(429);
    expect(locked.body.error!.code).toBe("mfa_locked");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(30);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const row = await db.query<{ mfa_failures: number }>(
      "SELECT mfa_failures FROM users WHERE email = 'guess@example.com'",
    );
    expect(row.rows[0]!.mfa_failures).toBe(5);
    // The next round of five doubles the lock.
    await db.query(
      "UPDATE users SET mfa_locked_until = now() - interval '1 second' WHERE email = 'guess@example.com'",
    );
    await signInByMail("guess@example.com", attacker);
    for (let i = 0; i < 4; i++) await attacker.post("/api/auth/mfa/verify", { code: String(200000 + i) });
    const fifth = await attacker.post("/api/auth/mfa/verify", { code: "299999" });
    expect(fifth.status).toBe(401);
    const until = await db.query<{ s: number }>(
      "SELECT extract(epoch FROM mfa_locked_until - now())::int AS s FROM users WHERE email = 'guess@example.com'",
    );
    expect(until.rows[0]!.s).toBeGreaterThan(90);
    expect(until.rows[0]!.s).toBeLessThanOrEqual(120);
  });

  it("takes a recovery code once, whatever its spelling, and never again", async () => {
    const { browser } = await signInByMail("recover@example.com");
    const { recoveryCodes } = await enrolTotp(browser);
    const lost = new BrowserClient(app);
    await signInByMail("recover@example.com", lost);
    const typed = ` ${recoveryCodes[3]!.toUpperCase().replace("-", " ")} `;
    const used = await lost.post<{ status: string; recoveryCodesLeft: number }>("/api/auth/mfa/verify", {
      code: typed,
    });
    expect(used.status).toBe(200);
    expect(used.body.recoveryCodesLeft).toBe(9);
    const again = new BrowserClient(app);
    await signInByMail("recover@example.com", again);
    const reused = await again.post("/api/auth/mfa/verify", { code: recoveryCodes[3] });
    expect(reused.status).toBe(400);
    expect(reused.body.error!.code).toBe("mfa_invalid");
  });

  it("sends a user who must have MFA to enrolment right after the link, with no session until done", async () => {
    await policy({ mfaRequired: "everyone" });
    const { browser, answer } = await signInByMail("forced@example.com");
    expect(answer.body).toMatchObject({ status: "mfa-enrolment-required" });
    expect(browser.session).toBeUndefined();
    expect((await browser.get("/api/auth/challenge")).body).toMatchObject({ kind: "enrol" });
    // A verify challenge is not what this is.
    expect((await browser.post("/api/auth/mfa/verify", { code: "123456" })).status).toBe(401);
    const enrolment = await browser.post<{ secret: string }>("/api/auth/mfa/enrol");
    expect(enrolment.status).toBe(200);
    const code = generateSync({ secret: enrolment.body.secret });
    const done = await browser.post<{ status: string; recoveryCodes: string[] }>(
      "/api/auth/mfa/enrol/confirm",
      { code },
    );
    expect(done.status).toBe(200);
    expect(done.body.status).toBe("signed-in");
    expect(done.body.recoveryCodes).toHaveLength(10);
    const me = await browser.me();
    expect(me.body.mfa).toMatchObject({ enabled: true, required: true });
    // Required MFA cannot be turned off.
    const off = await browser.delete("/api/account/mfa/totp");
    expect(off.status).toBe(409);
    expect(off.body.error!.code).toBe("mfa_required");
  });

  it("requires MFA for administrators only when the policy says admins", async () => {
    await policy({ mfaRequired: "admins" });
    await ensureUser(db, "boss@example.com", "admin");
    expect((await signInByMail("boss@example.com")).answer.body).toMatchObject({
      status: "mfa-enrolment-required",
    });
    await ensureUser(db, "worker@example.com", "user");
    expect((await signInByMail("worker@example.com")).answer.body).toMatchObject({ status: "signed-in" });
  });

  it("records sign-ins, failures and MFA changes in the audit log", async () => {
    const { browser } = await signInByMail("audited@example.com");
    await enrolTotp(browser);
    const other = new BrowserClient(app);
    await signInByMail("audited@example.com", other);
    await other.post("/api/auth/mfa/verify", { code: "000000" });
    const user = (await findUserByEmail(db, "audited@example.com"))!;
    const { rows } = await db.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_events WHERE actor_id = $1 ORDER BY seq",
      [user.id],
    );
    const seen = rows.map((r) => `${r.action}:${r.outcome}`);
    expect(seen).toEqual(
      expect.arrayContaining(["auth.login:success", "mfa.enrolled:success", "auth.mfa_verify:failure"]),
    );
  });
});
