// Clawden's entrypoint for the OpenClaw image, run by the image's node as /app/clawden-entrypoint.mjs.
//
// Secrets never travel in the container's environment or command (both show in `docker inspect`) and
// never rest in plaintext on the volume. agent-server creates the container with stdin open
// (OpenStdin + StdinOnce), attaches to stdin before starting it, starts it and writes ONE JSON
// document, then closes stdin:
//
//   {"config": {...OpenClaw config...}, "env": {"OPENCLAW_GATEWAY_TOKEN": "...", "LLM_API_KEY": "..."}}
//
// This script reads it (at most 1 MiB, within 30 s), checks it, writes `config` to
// $OPENCLAW_CONFIG_PATH (mode 0600; it holds `${NAME}` placeholders, never secret values), puts `env`
// into process.env, and runs `openclaw gateway run --bind lan --port 18789` in this same process:
// OpenClaw substitutes the placeholders from process.env. A missing or invalid document ends the
// process with a one-line reason on stderr and exit code 64; a failure to load OpenClaw with 70.
// SIGTERM (forwarded by Docker's init) reaches OpenClaw's own handler, which shuts the gateway down
// cleanly. Nothing secret is ever printed: messages name variables, never their values.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

const EX_USAGE = 64;
const EX_SOFTWARE = 70;
const MAX_PAYLOAD_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const OPENCLAW_ENTRY = "/app/node_modules/openclaw/openclaw.mjs";
const GATEWAY_ARGS = ["gateway", "run", "--bind", "lan", "--port", "18789"];
/** The only variables the payload may set, with their rules. */
const ALLOWED_ENV = {
  OPENCLAW_GATEWAY_TOKEN: { required: true, minLength: 16 },
  LLM_API_KEY: { required: false, minLength: 1 },
};
const MAX_VALUE_LENGTH = 4096;
const PLACEHOLDER = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

function say(line) {
  process.stdout.write(`clawden-entrypoint: ${line}\n`);
}

function fail(reason, code = EX_USAGE) {
  process.stderr.write(`clawden-entrypoint: ${reason}\n`);
  process.exit(code);
}

function payloadTimeoutMs() {
  const raw = process.env.CLAWDEN_PAYLOAD_TIMEOUT_MS;
  if (raw === undefined) return DEFAULT_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 600_000) {
    fail("CLAWDEN_PAYLOAD_TIMEOUT_MS must be an integer from 1 to 600000");
  }
  return value;
}

/** All of stdin, bounded in size and time. */
function readStdin(limitBytes, timeoutMs) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    const timer = setTimeout(
      () => fail(`no start payload on stdin within ${timeoutMs} ms (agent-server writes it at start)`),
      timeoutMs,
    );
    process.stdin.on("data", (chunk) => {
      size += chunk.length;
      if (size > limitBytes) fail(`the start payload is larger than ${limitBytes} bytes`);
      chunks.push(chunk);
    });
    process.stdin.once("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    process.stdin.once("error", (error) => fail(`cannot read stdin (${error.code ?? "error"})`));
  });
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every `${NAME}` placeholder in the config's strings (keys included). */
function placeholdersIn(value, found = new Set()) {
  if (typeof value === "string") {
    for (const match of value.matchAll(PLACEHOLDER)) found.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) placeholdersIn(item, found);
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      placeholdersIn(key, found);
      placeholdersIn(item, found);
    }
  }
  return found;
}

/** The checked payload: the config's text as it will be written, and the variables to set. */
function checkPayload(bytes, inheritedEnv = {}) {
  if (bytes.length === 0) return { error: "no start payload on stdin (stdin was empty or closed)" };
  let payload;
  try {
    payload = JSON.parse(bytes.toString("utf8"));
  } catch {
    // JSON.parse's message quotes the input, which holds secrets: never show it.
    return { error: "the start payload is not valid JSON" };
  }
  if (!isPlainObject(payload)) return { error: "the start payload must be a JSON object" };
  const extra = Object.keys(payload).filter((key) => key !== "config" && key !== "env");
  if (extra.length > 0) return { error: `the start payload has unknown keys: ${extra.join(", ")}` };
  if (!isPlainObject(payload.config)) return { error: "the start payload's config must be an object" };
  if (!isPlainObject(payload.env)) return { error: "the start payload's env must be an object" };

  const env = {};
  for (const [name, value] of Object.entries(payload.env)) {
    const rule = Object.hasOwn(ALLOWED_ENV, name) ? ALLOWED_ENV[name] : undefined;
    if (!rule) {
      return {
        error: `env may only set ${Object.keys(ALLOWED_ENV).join(", ")} (not ${JSON.stringify(name.slice(0, 64))})`,
      };
    }
    if (typeof value !== "string" || value.length < rule.minLength || value.length > MAX_VALUE_LENGTH) {
      return { error: `${name} must be a string of ${rule.minLength} to ${MAX_VALUE_LENGTH} characters` };
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) return { error: `${name} must not contain control characters` };
    env[name] = value;
  }
  for (const [name, rule] of Object.entries(ALLOWED_ENV)) {
    if (rule.required && env[name] === undefined) return { error: `env must set ${name}` };
  }

  const text = `${JSON.stringify(payload.config, null, 2)}\n`;
  for (const [name, value] of Object.entries(env)) {
    if (text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1))) {
      return { error: `the config contains the value of ${name}; write \${${name}} there instead` };
    }
  }
  for (const name of placeholdersIn(payload.config)) {
    if (env[name] === undefined && inheritedEnv[name] === undefined) {
      return { error: `the config refers to \${${name}}, which neither env nor the image provides` };
    }
  }
  return { configText: text, env };
}

/** Writes the file atomically with mode 0600 (a crash never leaves a half-written config). */
function writePrivateFile(file, text) {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.clawden-partial`;
  rmSync(partial, { force: true });
  const fd = openSync(partial, "wx", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
}

async function main() {
  const timeoutMs = payloadTimeoutMs();
  const bytes = await readStdin(MAX_PAYLOAD_BYTES, timeoutMs);
  const checked = checkPayload(bytes, process.env);
  if (checked.error) fail(checked.error);

  const configPath = process.env.OPENCLAW_CONFIG_PATH || "/data/openclaw.json";
  try {
    writePrivateFile(configPath, checked.configText);
  } catch (error) {
    fail(`cannot write ${configPath} (${error.code ?? error.message})`, EX_SOFTWARE);
  }
  for (const [name, value] of Object.entries(checked.env)) process.env[name] = value;
  delete process.env.CLAWDEN_PAYLOAD_TIMEOUT_MS;
  // Node's compile cache on the volume makes restarts faster. Set here, not in the image: a
  // NODE_COMPILE_CACHE present when node starts makes OpenClaw's launcher re-spawn itself into a
  // second process to move the cache to its own per-version directory. Set now, before the launcher
  // runs, the launcher enables that directory in this process instead.
  if (process.env.NODE_COMPILE_CACHE === undefined && process.env.NODE_DISABLE_COMPILE_CACHE === undefined) {
    process.env.NODE_COMPILE_CACHE = path.join(
      process.env.XDG_CACHE_HOME || "/data/cache",
      "node-compile-cache",
    );
  }
  say(
    `wrote ${configPath} (${Buffer.byteLength(checked.configText)} bytes, mode 0600); ` +
      `secrets set: ${Object.keys(checked.env).join(", ")}; starting the gateway in this process`,
  );

  // OpenClaw's launcher reads its command from process.argv, as if started as `openclaw.mjs ...`.
  process.argv = [process.execPath, OPENCLAW_ENTRY, ...GATEWAY_ARGS];
  try {
    await import(OPENCLAW_ENTRY);
  } catch (error) {
    fail(`cannot start OpenClaw from ${OPENCLAW_ENTRY}: ${error?.message ?? error}`, EX_SOFTWARE);
  }
}

await main();
