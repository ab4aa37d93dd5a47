// One test run over every package, in three projects:
//   unit         *.test.ts beside the code; pure logic, no services (what `pnpm check` runs)
//   integration  *.int.test.ts; real PostgreSQL, Docker engine, SMTP, child processes
//   e2e          *.e2e.test.ts; the real UIs in Debian's Chromium through playwright-core
// Workspace packages resolve to their TypeScript sources (the "source" export condition), so tests
// never run against stale builds.
import { randomBytes } from "node:crypto";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// One id per run, inherited by every worker: tests label what they create with it.
process.env.CLAWDEN_TEST_RUN_ID ??= `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
process.env.CLAWDEN_TEST_RUN_PID ??= String(process.pid);

const conditions = ["source", ...defaultServerConditions];
const serviceTests = {
  globalSetup: ["kit/src/testing/global-setup.ts"],
  testTimeout: 120_000,
  hookTimeout: 300_000,
};

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["*/src/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.int.test.ts", "**/*.e2e.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["*/{src,test}/**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          ...serviceTests,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["*/test/**/*.e2e.test.ts"],
          exclude: ["**/node_modules/**"],
          ...serviceTests,
          globalSetup: [...serviceTests.globalSetup, "kit/src/testing/build-uis.ts"],
        },
      },
    ],
  },
});
