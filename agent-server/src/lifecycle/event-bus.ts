// State changes of agents, fanned out to whoever listens (the SSE event stream, tests).
import { EventEmitter } from "node:events";
import type { AgentState } from "../domain/agent-state.js";

export interface AgentStateEvent {
  id: number;
  userId: string;
  state: AgentState;
  reason: string;
  actor: string;
  at: string;
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open event stream is a listener; the default warning at 10 would be noise.
    this.emitter.setMaxListeners(0);
  }

  publish(event: AgentStateEvent): void {
    this.emitter.emit("state", event);
  }

  subscribe(listener: (event: AgentStateEvent) => void): () => void {
    this.emitter.on("state", listener);
    return () => this.emitter.off("state", listener);
  }

  /** Called once at shutdown: every subscriber (an open event stream) should end. */
  onClose(listener: () => void): () => void {
    this.emitter.once("close", listener);
    return () => this.emitter.off("close", listener);
  }

  close(): void {
    this.emitter.emit("close");
  }
}
