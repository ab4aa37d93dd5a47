// How management-server serves the two web apps: pages for client-side routes, long-cached hashed
// assets, a 404 for a missing file (never the page in its place), /admin → /admin/, and a 503 that says
// what to do when an app is not built. The apps here are small real directories written by the test.
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@clawden/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "@clawden/kit/db";
import { migrate } from "@clawden/kit/db";
import { managementMigrations } from "../src/db/migrations.js";
import { startTestApp, type TestApp } from "./support/app.js";

let database: TestDatabase;
let db: Database;
let app: TestApp;
let root: string;
const page = { accept: "text/html,application/xhtml+xml" };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "clawden-webapps-"));
  const user = path.join(root, "user");
  await mkdir(path.join(user, "assets"), { recursive: true });
  await writeFile(path.join(user, "index.html"), "<!doctype html><title>user app</title>");
  await writeFile(path.join(user, "assets", "main-abc123.js"), "console.log(1)");
  database = await createTestDatabase();
  db = createDatabase({ connectionString: database.url, max: 2 });
  await migrate(db, managementMigrations());
  app = await startTestApp(db, { USER_UI_DIR: user, ADMIN_UI_DIR: path.join(root, "admin-not-built") });
});
afterAll(async () => {
  await app.close();
  await db.close();
  await database.drop();
  await rm(root, { recursive: true, force: true });
});

describe("web apps", () => {
  it("serves the app's page for client-side routes, never cached", async () => {
    for (const route of ["/", "/login/confirm", "/some/deep/route"]) {
      const res = await fetch(`${app.url}${route}`, { headers: page });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("<title>user app</title>");
      expect(res.headers.get("cache-control")).toBe("no-cache");
    }
  });

  it("caches hashed assets for a year", async () => {
    const res = await fetch(`${app.url}/assets/main-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toMatch(/javascript/);
  });

  it("answers a missing file or a non-page request with 404, not the page", async () => {
    expect((await fetch(`${app.url}/assets/missing-123.js`)).status).toBe(404);
    expect((await fetch(`${app.url}/assets/missing-123.js`, { headers: page })).status).toBe(404);
    expect((await fetch(`${app.url}/some/route`, { headers: { accept: "*/*" } })).status).toBe(404);
    const api = await fetch(`${app.url}/api/nothing`, { headers: page });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("redirects /admin to /admin/ keeping the query, and says when an app is not built", async () => {
    const redirect = await fetch(`${app.url}/admin?x=1`, { headers: page, redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/admin/?x=1");
    const admin = await fetch(`${app.url}/admin/`, { headers: page });
    expect(admin.status).toBe(503);
    expect(await admin.text()).toMatch(/The admin web app is not built/);
  });

  it("sends the strict content security policy with pages", async () => {
    const res = await fetch(`${app.url}/`, { headers: page });
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
  });
});
