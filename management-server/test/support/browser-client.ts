// A scripted "browser" for API tests: keeps its own cookies (as Set-Cookie says), sends our Origin on
// state-changing requests like a browser on our page would, and the session's anti-CSRF token once it
// knows it. Two clients are two browsers: they share nothing.
import type { TestApp } from "./app.js";
import type { Mailbox } from "./mailbox.js";

/** What an answer may hold when the test does not say: anything, and perhaps our error shape. */
export type AnyBody = Record<string, unknown> & {
  error?: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
};

export interface ApiAnswer<B = AnyBody> {
  status: number;
  body: B;
  headers: Headers;
}

export class BrowserClient {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(
    private readonly app: Pick<TestApp, "url">,
    readonly userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** The session cookie's value (undefined when signed out). */
  get session(): string | undefined {
    return this.cookies.get("clawden_session");
  }

  private absorb(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*Max-Age=0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request<B = AnyBody>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiAnswer<B>> {
    const headers: Record<string, string> = { "user-agent": this.userAgent, accept: "application/json" };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (method !== "GET") {
      headers.origin = this.app.url;
      if (this.csrf) headers["x-csrf-token"] = this.csrf;
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.app.url}${path}`, {
      method,
      headers: { ...headers, ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    this.absorb(res.headers);
    const text = await res.text();
    let parsed: unknown = {};
    if (text && (res.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as B, headers: res.headers };
  }

  get<B = AnyBody>(path: string) {
    return this.request<B>("GET", path);
  }

  post<B = AnyBody>(path: string, body?: unknown) {
    return this.request<B>("POST", path, body);
  }

  delete<B = AnyBody>(path: string) {
    return this.request<B>("DELETE", path);
  }

  put<B = AnyBody>(path: string, body?: unknown) {
    return this.request<B>("PUT", path, body);
  }

  /** Reads /api/me and remembers the session's anti-CSRF token, as the web apps do. */
  async me() {
    const answer = await this.get<{
      user: { id: string; email: string; role: string };
      csrfToken: string;
      mfa: { enabled: boolean; required: boolean; recoveryCodesLeft: number };
    }>("/api/me");
    if (answer.status === 200) this.csrf = answer.body.csrfToken;
    return answer;
  }

  /** Asks for a sign-in link, as the login page does. */
  requestLink(email: string, next?: string) {
    return this.post("/api/auth/magic-link", next ? { email, next } : { email });
  }

  /** Signs in the way people do: asks for a link, takes it from the mailbox, uses it. */
  async signInByMail(mailbox: Mailbox, email: string) {
    const asked = await this.requestLink(email);
    if (asked.status !== 202) throw new Error(`asking for a link answered ${asked.status}`);
    return this.consumeLink(await mailbox.waitForLink(email));
  }

  /** Opens a mailed link's confirmation page and presses the button: POSTs the token. */
  async consumeLink(url: string) {
    const token = new URLSearchParams(new URL(url).hash.slice(1)).get("token") ?? "";
    const answer = await this.post<{ status: string; error?: { code: string; message: string } }>(
      "/api/auth/magic-link/consume",
      { token },
    );
    if (answer.status === 200 && this.session) await this.me();
    return answer;
  }
}
