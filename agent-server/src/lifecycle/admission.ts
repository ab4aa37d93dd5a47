// Admission control for starts: at most `maxConcurrent` starts run at once, the rest wait in a queue
// served in order; a start that would push the memory committed to awake agents past the host budget,
// or find the queue full, is refused at once with a Retry-After estimate instead of waiting blindly.
export interface AdmissionOptions {
  maxConcurrent: number;
  maxQueued: number;
  memoryBudgetBytes: number;
  /** Seconds a start usually takes, for Retry-After (updated from observed starts). */
  typicalStartSeconds: number;
}

export class AdmissionRefused extends Error {
  override readonly name = "AdmissionRefused";
  constructor(
    message: string,
    readonly reason: "queue_full" | "memory_budget",
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface Ticket {
  /** Resolves when this start may run. */
  ready: Promise<void>;
  /** Must be called when the start has finished (either way). */
  release(): void;
}

interface Waiter {
  admit: () => void;
  memoryBytes: number;
}

export class Admission {
  private running = 0;
  private readonly queue: Waiter[] = [];
  /** Memory of starts admitted or queued but not yet visible as committed by the store. */
  private reservedBytes = 0;
  private startSeconds: number;

  constructor(private readonly options: AdmissionOptions) {
    this.startSeconds = options.typicalStartSeconds;
  }

  get budgetBytes(): number {
    return this.options.memoryBudgetBytes;
  }

  get queued(): number {
    return this.queue.length;
  }

  get active(): number {
    return this.running;
  }

  private retryAfter(): number {
    const ahead = this.queue.length + this.running;
    return Math.max(1, Math.ceil(((ahead + 1) / this.options.maxConcurrent) * this.startSeconds));
  }

  /** Remembers how long starts take, so Retry-After stays honest. */
  observeStart(seconds: number): void {
    this.startSeconds = this.startSeconds * 0.8 + seconds * 0.2;
  }

  /**
   * Asks to start an agent needing `memoryBytes`, given the memory already committed to other awake
   * agents. Throws AdmissionRefused, or returns a ticket whose `ready` resolves in queue order.
   */
  enter(memoryBytes: number, committedBytes: number): Ticket {
    if (committedBytes + this.reservedBytes + memoryBytes > this.options.memoryBudgetBytes) {
      throw new AdmissionRefused(
        "The host's memory budget for assistants is used up; try again shortly.",
        "memory_budget",
        Math.max(30, this.retryAfter()),
      );
    }
    if (this.running >= this.options.maxConcurrent && this.queue.length >= this.options.maxQueued) {
      throw new AdmissionRefused(
        "Too many assistants are starting; try again shortly.",
        "queue_full",
        this.retryAfter(),
      );
    }
    this.reservedBytes += memoryBytes;
    let released = false;
    let admitted!: () => void;
    const ready = new Promise<void>((resolve) => (admitted = resolve));
    if (this.running < this.options.maxConcurrent) {
      this.running++;
      admitted();
    } else {
      this.queue.push({ admit: admitted, memoryBytes });
    }
    return {
      ready,
      release: () => {
        if (released) return;
        released = true;
        this.reservedBytes -= memoryBytes;
        const next = this.queue.shift();
        if (next) next.admit();
        else this.running--;
      },
    };
  }
}
