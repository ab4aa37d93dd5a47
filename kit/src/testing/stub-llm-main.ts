// The stub LLM as a process, for tests that point a real OpenClaw container at it:
//   node --conditions=source --import tsx kit/src/testing/stub-llm-main.ts --port 8099 --host 127.0.0.1
// Prints one line `{"msg":"listening","url":"http://127.0.0.1:8099/v1"}` on stdout, logs each request on
// stderr, and serves until SIGTERM or SIGINT, then closes its connections and exits 0. Options: see
// parseStubLlmArgs (flags, or STUB_LLM_* variables so child-server's startMain can start it too).
import { pino } from "pino";
import { runMain } from "../server/lifecycle.js";
import { createLogger } from "../server/logger.js";
import { parseStubLlmArgs, startStubLlm } from "./stub-llm.js";

runMain("stub-llm", async () => {
  const options = parseStubLlmArgs(process.argv.slice(2), process.env);
  const logger = createLogger({ name: "stub-llm", destination: pino.destination(2) });
  const stub = await startStubLlm({ ...options, logger });
  process.stdout.write(`${JSON.stringify({ msg: "listening", url: stub.url })}\n`);
  return {
    logger,
    running: { server: stub.server, port: stub.port, url: stub.url, shutdown: () => stub.close() },
  };
});
