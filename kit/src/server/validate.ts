// Validation of everything that comes from outside: a zod schema in, a typed value or a 400 out, with
// each problem named by its path so the caller can fix the request.
import type { z } from "zod";
import { commonErrors } from "./errors.js";

export interface ValidationProblem {
  path: string;
  message: string;
}

export function problemsOf(error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

/** Parses `value` (a body, query or params object) or throws a 400 naming what was wrong. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where = "request body",
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = problemsOf(result.error);
  const summary = problems
    .slice(0, 3)
    .map((p) => `${p.path}: ${p.message}`)
    .join("; ");
  throw commonErrors.badRequest(`Invalid ${where}: ${summary}`, { problems });
}
