// management-server's narrow view of agent-server: stop a user's container (when the user is
// suspended). Talks to agent-server's internal API with its bearer token; without one configured,
// nothing can be stopped and the caller is told so.
export interface AgentControl {
  /** Stops the user's container; resolves true when agent-server confirmed (or has none). */
  stop(userId: string, actor: string): Promise<boolean>;
}

export function agentControl(baseUrl: string, token: string | undefined): AgentControl {
  return {
    async stop(userId, actor) {
      if (!token) return false;
      try {
        const res = await fetch(new URL(`/internal/v1/agents/${encodeURIComponent(userId)}/stop`, baseUrl), {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "x-clawden-actor": actor,
            "content-type": "application/json",
          },
          body: "{}",
          signal: AbortSignal.timeout(60_000),
        });
        await res.body?.cancel();
        // 404: agent-server has no container for this user; 409: it was deleted. Nothing runs either way.
        return res.ok || res.status === 404 || res.status === 409;
      } catch {
        return false;
      }
    },
  };
}
