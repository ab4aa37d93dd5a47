// One HTTP error type for every server. An error carries a stable reason code (from a catalogue per
// feature), a message safe to show the caller, and optionally a fuller story for the log.
export interface HttpErrorOptions {
  /** Extra facts for the caller (e.g. which fields were invalid). Must never hold secrets. */
  details?: unknown;
  /** Fuller description for the log only. */
  logMessage?: string;
  cause?: unknown;
  /** Seconds, sent as Retry-After (429, 503). */
  retryAfter?: number;
  /** Headers to add to the response (e.g. WWW-Authenticate). */
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly details: unknown;
  readonly logMessage: string | undefined;
  readonly retryAfter: number | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: HttpErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details;
    this.logMessage = options.logMessage;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers ?? {};
  }
}

/** The catalogue of codes every server shares; features add their own catalogues beside their code. */
export const commonErrors = {
  badRequest: (message: string, details?: unknown) =>
    new HttpError(400, "invalid_request", message, { details }),
  unauthenticated: (message = "Sign in first.") => new HttpError(401, "unauthenticated", message),
  forbidden: (message = "You may not do that.") => new HttpError(403, "forbidden", message),
  notFound: (what = "resource") => new HttpError(404, "not_found", `No such ${what}.`),
  conflict: (message: string) => new HttpError(409, "conflict", message),
  payloadTooLarge: (limit: string) =>
    new HttpError(413, "payload_too_large", `The request body is larger than ${limit}.`),
  unsupportedMediaType: () =>
    new HttpError(415, "unsupported_media_type", "Send the request body as application/json."),
  tooManyRequests: (retryAfter: number, message = "Too many requests; try again later.") =>
    new HttpError(429, "rate_limited", message, { retryAfter }),
  unavailable: (message: string, retryAfter?: number) =>
    new HttpError(503, "unavailable", message, retryAfter === undefined ? {} : { retryAfter }),
};

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}
