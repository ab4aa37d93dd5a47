// The key ring that seals secrets at rest (TOTP seeds, SSO client secrets): SECRET_KEYS when set;
// otherwise a key made once in STATE_DIR/secret-keys (0600), which suits a single-host quick start —
// production sets SECRET_KEYS(_FILE) from a secret store (DEPLOYMENT.md).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { keyRing, parseKeyList, type KeyRing } from "@clawden/kit/crypto";
import type { Logger } from "@clawden/kit/server";
import type { Config } from "../config.js";

export function loadSecretKeys(config: Config, logger: Logger): KeyRing {
  if (config.SECRET_KEYS) return keyRing(parseKeyList(config.SECRET_KEYS));
  const file = path.join(config.STATE_DIR, "secret-keys");
  if (!existsSync(file)) {
    mkdirSync(config.STATE_DIR, { recursive: true, mode: 0o700 });
    writeFileSync(file, `k1:${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    logger.warn({ file }, "SECRET_KEYS is not set: made a sealing key in the state directory");
  }
  return keyRing(parseKeyList(readFileSync(file, "utf8").trim()));
}
