// Resource limits of a user's container, and the bounds an operator sets for them.
import { z } from "zod";

export interface Limits {
  memoryBytes: number;
  /** Billionths of a CPU (1 CPU = 1_000_000_000). */
  nanoCpus: number;
  pidsLimit: number;
}

export interface LimitBounds {
  min: Limits;
  max: Limits;
}

const MiB = 1024 * 1024;

/** Below these an OpenClaw gateway cannot run (measured: idle ~650 MiB, ~35 processes). */
export const FLOOR: Limits = { memoryBytes: 768 * MiB, nanoCpus: 250_000_000, pidsLimit: 64 };

export const limitsSchema = z
  .object({
    memoryBytes: z.number().int().positive(),
    nanoCpus: z.number().int().positive(),
    pidsLimit: z.number().int().positive(),
  })
  .strict();

export const partialLimitsSchema = limitsSchema.partial().strict();

/** Names every limit outside the bounds; empty when all are inside. */
export function limitProblems(limits: Limits, bounds: LimitBounds): string[] {
  const problems: string[] = [];
  for (const key of ["memoryBytes", "nanoCpus", "pidsLimit"] as const) {
    if (limits[key] < bounds.min[key]) problems.push(`${key} must be at least ${bounds.min[key]}`);
    if (limits[key] > bounds.max[key]) problems.push(`${key} must be at most ${bounds.max[key]}`);
  }
  return problems;
}

export function sameLimits(a: Limits, b: Limits): boolean {
  return a.memoryBytes === b.memoryBytes && a.nanoCpus === b.nanoCpus && a.pidsLimit === b.pidsLimit;
}
