export { createHttpApp, errorHandler, type HttpAppOptions } from "./app.js";
export { ConfigError, EXIT_CONFIG, env, loadConfig, serverConfigShape, withFileVariables } from "./config.js";
export { commonErrors, HttpError, type ErrorBody, type HttpErrorOptions } from "./errors.js";
export { healthRoutes, type Lifecycle, type ReadinessCheck } from "./health.js";
export {
  displayUrl,
  runMain,
  startServer,
  StartupError,
  type Closer,
  type RunningServer,
  type StartServerOptions,
} from "./lifecycle.js";
export { createLogger, REDACTED_PATHS, type Logger, type LoggerOptions } from "./logger.js";
export { createMetrics, metricsMiddleware, type Metrics } from "./metrics.js";
export { REQUEST_ID_HEADER } from "./request-id.js";
export { safeEqual } from "./safe-compare.js";
export { parseInput, problemsOf, type ValidationProblem } from "./validate.js";
export {
  createServiceApp,
  createServiceBasics,
  serve,
  type ListenConfig,
  type ServeOptions,
  type ServiceAppOptions,
  type ServiceBasics,
} from "./service.js";
// Re-exported so that every package importing the kit also sees pino-http's typing of `req.log` and
// `req.id` (its module augmentation), in source and in built declarations alike.
export type { HttpLogger } from "pino-http";
