// The secrets a local installation needs, made once and kept in files (0600, in a 0700 directory) under
// the state directory; servers read them through *_FILE variables, so they never sit in a process's
// command line.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const SECRETS = {
  // management-server → agent-server internal API.
  "agent-api-token": () => randomBytes(32).toString("base64url"),
  // Seals gateway tokens at rest in agent-server's schema: id:base64 of 32 bytes.
  "agent-secret-keys": () => `k1:${randomBytes(32).toString("base64")}`,
  // Seals management-server's secrets at rest (TOTP seeds, SSO client secrets).
  "management-secret-keys": () => `k1:${randomBytes(32).toString("base64")}`,
};

/** Creates missing secrets; returns the path of each file by name. */
export function ensureSecrets(stateDir) {
  const dir = path.join(stateDir, "secrets");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {};
  for (const [name, make] of Object.entries(SECRETS)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600 });
    files[name] = file;
  }
  return files;
}
