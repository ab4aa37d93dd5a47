// Global set-up of the integration and e2e projects: the real services must answer (a missing one is
// a failure, never a skip), and what earlier runs left behind is swept before this run starts.
import { dockerAnswers, removeTestObjects } from "./docker-api.js";
import { dropStaleTestDatabases, postgresAnswers } from "./postgres.js";
import { processAlive, TEST_PID_LABEL, TEST_RUN_LABEL, testRunId } from "./run.js";

export default async function setup(): Promise<() => Promise<void>> {
  const problems: string[] = [];
  const pgProblem = await postgresAnswers();
  if (pgProblem) problems.push(`PostgreSQL for tests: ${pgProblem}`);
  if (!(await dockerAnswers())) {
    problems.push("Docker engine: no answer on its socket (npm test installs and starts one)");
  }
  if (problems.length > 0) {
    throw new Error(`required services are missing:\n  - ${problems.join("\n  - ")}`);
  }
  const runId = testRunId();
  await removeTestObjects((labels) => {
    const pid = Number(labels[TEST_PID_LABEL]);
    return labels[TEST_RUN_LABEL] !== runId && !processAlive(pid);
  });
  await dropStaleTestDatabases();
  return async () => {
    await removeTestObjects((labels) => labels[TEST_RUN_LABEL] === runId);
  };
}
