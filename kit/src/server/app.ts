// The Express application every server starts from: request ids, request logs, metrics, security
// headers, health routes, JSON bodies only, and one error handler at the end. Feature routes are
// mounted by the caller between the common head and the common tail.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import helmet, { type HelmetOptions } from "helmet";
import { pinoHttp } from "pino-http";
import { commonErrors, HttpError, type ErrorBody } from "./errors.js";
import { healthRoutes, type Lifecycle, type ReadinessCheck } from "./health.js";
import type { Logger } from "./logger.js";
import { metricsMiddleware, type Metrics } from "./metrics.js";
import { requestIdFor } from "./request-id.js";
import { safeEqual } from "./safe-compare.js";

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  readiness: Record<string, ReadinessCheck>;
  /** Largest JSON body accepted; larger ones get 413. */
  jsonLimit?: string;
  /** Express's `trust proxy` setting: set it when a reverse proxy sets X-Forwarded-For. */
  trustProxy?: boolean | number | string;
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** Helmet options; the default is a strict policy suited to a JSON API. */
  helmet?: HelmetOptions;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function requireJsonBodies(): RequestHandler {
  return function requireJsonBody(req, _res, next) {
    if (!BODY_METHODS.has(req.method)) return next();
    const length = req.headers["content-length"];
    const hasBody =
      (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
    if (hasBody && !req.is("application/json")) return next(commonErrors.unsupportedMediaType());
    next();
  };
}

function closeConnectionsWhileShuttingDown(lifecycle: Lifecycle): RequestHandler {
  return function closeWhenShuttingDown(_req, res, next) {
    if (lifecycle.shuttingDown) res.setHeader("Connection", "close");
    next();
  };
}

/** Maps the errors body-parser raises (they carry `type` and `status`) to our error type. */
function fromBodyParser(error: { type?: unknown; status?: unknown }, jsonLimit: string): HttpError | null {
  switch (error.type) {
    case "entity.parse.failed":
      return new HttpError(400, "invalid_json", "The request body is not valid JSON.");
    case "entity.too.large":
      return commonErrors.payloadTooLarge(jsonLimit);
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError(415, "unsupported_encoding", "Send the request body as UTF-8 JSON.");
    case "request.aborted":
      return new HttpError(400, "request_aborted", "The request body was not received completely.");
    case "request.size.invalid":
      return new HttpError(400, "invalid_length", "The request body does not match its Content-Length.");
    default:
      return null;
  }
}

export function errorHandler(logger: Logger, jsonLimit: string): ErrorRequestHandler {
  return function handleError(err: unknown, req, res, next) {
    if (res.headersSent) {
      // A streamed response failed halfway: nothing can be sent; let Express end the socket.
      logger.error({ err, requestId: req.id }, "error after the response started");
      next(err);
      return;
    }
    let httpError: HttpError;
    if (err instanceof HttpError) {
      httpError = err;
    } else if (err !== null && typeof err === "object" && "type" in err) {
      httpError = fromBodyParser(err, jsonLimit) ?? new HttpError(500, "internal", "Internal error.");
    } else {
      httpError = new HttpError(500, "internal", "Internal error.");
    }
    const requestId = typeof req.id === "string" ? req.id : "unknown";
    if (httpError.code === "internal") {
      // Unexpected: the whole story goes to the log, none of it to the caller.
      httpError = new HttpError(
        500,
        "internal",
        "Something went wrong on our side; quote the request id to an operator.",
      );
      logger.error({ err, requestId, code: httpError.code }, "request failed");
    } else {
      // A deliberate answer (including 503/504 a feature chose to give): logged without a stack.
      logger[httpError.status >= 500 ? "warn" : "info"](
        { requestId, code: httpError.code, status: httpError.status },
        httpError.logMessage ?? httpError.message,
      );
    }
    if (httpError.retryAfter !== undefined) res.setHeader("Retry-After", String(httpError.retryAfter));
    for (const [name, value] of Object.entries(httpError.headers)) res.setHeader(name, value);
    const body: ErrorBody = { error: { code: httpError.code, message: httpError.message, requestId } };
    if (httpError.details !== undefined) body.error.details = httpError.details;
    res.status(httpError.status).json(body);
  };
}

/**
 * Builds the app: `mount` adds the feature routes. Nothing listens until startServer() is called, so
 * tests run requests against the real app with real adapters.
 */
export function createHttpApp(options: HttpAppOptions, mount: (app: Express) => void): Express {
  const jsonLimit = options.jsonLimit ?? "100kb";
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? false);
  app.set("query parser", "simple");
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: requestIdFor,
      // 500 is our fault; 502-504 are deliberate answers about a dependency; the rest is information.
      customLogLevel: (_req, res, err) =>
        err || res.statusCode === 500 ? "error" : res.statusCode > 500 ? "warn" : "info",
      // Probes and scrapes are frequent and say nothing; keep them out of the log.
      autoLogging: {
        ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics",
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          // Query strings may carry tokens; log the path only.
          url: req.url.split("?")[0],
          remoteAddress: req.remoteAddress,
        }),
        // The status is what matters; response headers (CSP, cookies) are noise or worse in a log.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(metricsMiddleware(options.metrics));
  app.use(closeConnectionsWhileShuttingDown(options.lifecycle));
  app.use(helmet(options.helmet));
  app.use(healthRoutes(options.lifecycle, options.readiness));
  app.get("/metrics", async (req, res) => {
    if (options.metricsToken !== undefined) {
      const header = req.headers.authorization ?? "";
      if (!header.startsWith("Bearer ") || !safeEqual(header.slice(7), options.metricsToken)) {
        throw commonErrors.unauthenticated("A metrics token is required.");
      }
    }
    res.setHeader("Content-Type", options.metrics.registry.contentType);
    res.send(await options.metrics.registry.metrics());
  });
  app.use(requireJsonBodies());
  app.use(express.json({ limit: jsonLimit, strict: true }));
  mount(app);
  app.use((req, _res, next) => {
    next(new HttpError(404, "not_found", `No route for ${req.method} ${req.path}.`));
  });
  app.use(errorHandler(options.logger, jsonLimit));
  return app;
}
