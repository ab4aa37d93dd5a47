// Turns the servers' JSON log lines into one readable line each for the console. Request logs are
// condensed to "GET /path 200 3ms"; lines that are not JSON (a crash trace) pass through as they are.
const LEVEL_NAMES = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
const SKIP = new Set([
  "level",
  "time",
  "service",
  "msg",
  "req",
  "res",
  "responseTime",
  "reqId",
  "pid",
  "hostname",
]);

export function formatLogLine(source, line) {
  if (!line.startsWith("{")) return `${source.padEnd(17)} ${line}`;
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    return `${source.padEnd(17)} ${line}`;
  }
  const time = typeof record.time === "string" ? record.time.slice(11, 19) : "";
  const level = (typeof record.level === "number" ? LEVEL_NAMES[record.level] : record.level) ?? "info";
  let message = record.msg ?? "";
  if (record.req && record.res) {
    message = `${record.req.method} ${record.req.url} ${record.res.statusCode} ${record.responseTime ?? "?"}ms`;
  }
  const extras = Object.entries(record)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `${time} ${source.padEnd(17)} ${level.toUpperCase().padEnd(5)} ${message}${extras ? `  ${extras}` : ""}`;
}
