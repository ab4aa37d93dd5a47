// One operation at a time per key (per user): operations on the same user run in the order they were
// asked, operations on different users run side by side.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** True while an operation for `key` runs or waits. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }
}
