// Global set-up of the e2e tests: builds user-ui and admin-ui with Vite when their sources changed
// since the last build (management-server serves the built apps from their dist/ folders).
import { buildPackages } from "../../../scripts/lib/build.mjs";

export default function setup(): void {
  buildPackages(["user-ui", "admin-ui"]);
}
