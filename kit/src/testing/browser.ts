// Browser tests' harness: Debian's Chromium (never a downloaded browser) driven by playwright-core,
// and pages that record what went wrong in them (console errors, uncaught errors, CSP violations,
// failed same-origin requests) so a test can assert there was nothing.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless and quiet: the machine's network is closed, and without these Chromium keeps calling home. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<Browser> {
  // Loaded here, so test files that import the kit without a browser do not pay for it.
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** What went wrong so far, one line each; [] when the page behaved. */
  problems(): string[];
  /** Saves a full-page screenshot as $CLAWDEN_SCREENSHOT_DIR/<name>.png when that variable is set. */
  screenshot(name: string): Promise<string | null>;
  close(): Promise<void>;
}

export interface OpenPageOptions {
  /**
   * Same-origin error answers the app is meant to handle. Default: API answers below 500 (such as
   * /api/me's 401 for anonymous visitors, or a used link's 400).
   */
  expectedResponse?: (url: URL, status: number) => boolean;
}

const apiAnswer = (url: URL, status: number) => url.pathname.startsWith("/api/") && status < 500;

// Runs in every page before its own scripts; reports violations through an exposed binding, which
// the page's CSP does not govern.
const CSP_LISTENER = `document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " (" + e.sourceFile + ":" + e.lineNumber + ")");
}, true);`;

/** Opens a page on `origin` in a fresh browser context (no cookies, no storage), watched for problems. */
export async function openPage(
  browser: Browser,
  origin: string,
  options: OpenPageOptions = {},
): Promise<WatchedPage> {
  const expected = options.expectedResponse ?? apiAnswer;
  const ourOrigin = new URL(origin).origin;
  const ours = (url: string) => URL.canParse(url) && new URL(url).origin === ourOrigin;
  const context = await browser.newContext({ baseURL: ourOrigin });
  const csp: string[] = [];
  const pageErrors: string[] = [];
  const failed: string[] = [];
  const logged: { text: string; url: string; line: number }[] = [];
  const handled = new Set<string>();

  await context.exposeBinding("__reportCspViolation", (_source, text: string) => {
    csp.push(text);
  });
  await context.addInitScript({ content: CSP_LISTENER });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const { url, lineNumber } = message.location();
    logged.push({ text: message.text(), url, line: lineNumber });
  });
  page.on("pageerror", (error) => pageErrors.push(error.stack ?? error.message));
  page.on("requestfailed", (request) => {
    const error = request.failure()?.errorText ?? "failed";
    // ERR_ABORTED: cancelled by the browser, as when the page navigates away while it loads.
    if (ours(request.url()) && error !== "net::ERR_ABORTED") {
      failed.push(`${request.method()} ${request.url()}: ${error}`);
    }
  });
  page.on("response", (response) => {
    const status = response.status();
    if (status < 400 || !ours(response.url())) return;
    const url = new URL(response.url());
    if (expected(url, status)) handled.add(response.url());
    else failed.push(`${response.request().method()} ${response.url()}: HTTP ${status}`);
  });

  return {
    page,
    context,
    problems() {
      // Chromium also logs every error answer as "Failed to load resource"; the ones the app
      // handles are not problems.
      const consoleErrors = logged.filter(
        (m) => !(m.text.startsWith("Failed to load resource") && handled.has(m.url)),
      );
      return [
        ...consoleErrors.map((m) => `console error: ${m.text} (${m.url}:${m.line})`),
        ...pageErrors.map((e) => `uncaught error: ${e}`),
        ...csp.map((v) => `CSP violation: ${v}`),
        ...failed.map((f) => `failed request: ${f}`),
      ];
    },
    async screenshot(name) {
      const dir = process.env.CLAWDEN_SCREENSHOT_DIR;
      if (!dir) return null;
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => context.close(),
  };
}
