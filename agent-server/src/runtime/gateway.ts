// Talking to a user's gateway from agent-server: at the container's address on its own network.
import { GATEWAY_PORT } from "./container-spec.js";

/** True when the gateway answers /readyz with 200 within `timeoutMs`. */
export async function gatewayReady(address: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`http://${address}:${GATEWAY_PORT}/readyz`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
