// `pnpm --filter @clawden/agent-server build-image`: builds the OpenClaw image (or says it is up to
// date) and prints one line per step with the time since the start. Engine socket: DOCKER_SOCKET, else
// a unix:// DOCKER_HOST, else /var/run/docker.sock. Cache: CLAWDEN_IMAGE_CACHE_DIR, else
// ${XDG_CACHE_HOME:-~/.cache}/clawden/image-build.
import { DockerEngine } from "../adapters/docker.js";
import { DEFAULT_DOCKER_SOCKET } from "../config.js";
import { ensureOpenClawImage } from "./build.js";

function socketPath(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_SOCKET) return env.DOCKER_SOCKET;
  if (env.DOCKER_HOST?.startsWith("unix://")) return env.DOCKER_HOST.slice("unix://".length);
  if (env.DOCKER_HOST) throw new Error("DOCKER_HOST must be unix:///path/to/docker.sock");
  return DEFAULT_DOCKER_SOCKET;
}

const start = performance.now();
const print = (line: string) => {
  const elapsed = ((performance.now() - start) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${elapsed}s] ${line}\n`);
};

try {
  const engine = new DockerEngine({ socketPath: socketPath(process.env) });
  const result = await ensureOpenClawImage({ engine, onProgress: print });
  process.stdout.write(`${result.tag}\n`);
} catch (error) {
  process.stderr.write(`build-image failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
