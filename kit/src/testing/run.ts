// The identity of this test run. Everything a test creates outside the process (containers, networks,
// volumes, databases) carries it, so a run removes exactly its own things and sweeps the leftovers of
// runs whose process is gone, never those of a run still going.
export const TEST_RUN_LABEL = "clawden.test-run";
export const TEST_PID_LABEL = "clawden.test-pid";
/** On images built once and shared by every run (kept between runs, rebuilt when their recipe changes). */
export const TEST_SHARED_LABEL = "clawden.test-shared";

export function testRunId(): string {
  const id = process.env.CLAWDEN_TEST_RUN_ID;
  if (!id) throw new Error("CLAWDEN_TEST_RUN_ID is not set: run tests through vitest with the root config");
  return id;
}

export function testRunPid(): number {
  return Number(process.env.CLAWDEN_TEST_RUN_PID ?? process.pid);
}

/** Labels to put on every Docker object a test creates. */
export function testLabels(): Record<string, string> {
  return { [TEST_RUN_LABEL]: testRunId(), [TEST_PID_LABEL]: String(testRunPid()) };
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when CI=true: a missing service is then a failure, never a reason to skip. */
export const inCI = process.env.CI === "true" || process.env.CI === "1";
