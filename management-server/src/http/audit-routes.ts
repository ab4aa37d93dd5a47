// The audit log for administrators: filtered pages (newest first) and exports as a file (oldest
// first, streamed in batches). Administrators only; requireAdmin is on each route so the router is
// safe wherever it is mounted.
import { Router, type Response } from "express";
import type { Database } from "@clawden/kit/db";
import { parseInput } from "@clawden/kit/server";
import { z } from "zod";
import { AUDIT_ACTIONS } from "../audit/events.js";
import {
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  csvHeader,
  csvLine,
  exportAudit,
  jsonLine,
  publicAuditEvent,
  queryAudit,
} from "../audit/query.js";
import { emailSchema } from "../domain/email.js";
import { isUuid } from "../domain/ids.js";
import { requireAdmin } from "./principal.js";

/** An empty query parameter (`?actor=`) is the same as an absent one. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const timestamp = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "must be an ISO 8601 date or time with a time zone (2025-01-31 or 2025-01-31T12:00:00Z)",
  })
  .transform((text) => new Date(text))
  .refine((date) => !Number.isNaN(date.getTime()), { error: "is not a valid date" });

const filterShape = {
  actor: optional(
    z
      .string()
      .trim()
      .max(254)
      .refine((value) => isUuid(value) || emailSchema.safeParse(value).success, {
        error: "must be a user id or an email address",
      })
      .transform((value) => (isUuid(value) ? value.toLowerCase() : emailSchema.parse(value))),
  ),
  action: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .max(100)
      .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/, {
        error: "must be an action (auth.login) or a prefix ending with .* (auth.*)",
      }),
  ),
  from: optional(timestamp),
  to: optional(timestamp),
  before: optional(z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER)),
};

const pageQuery = z.object({
  ...filterShape,
  limit: optional(z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX)).transform(
    (limit) => limit ?? AUDIT_PAGE_DEFAULT,
  ),
});

const exportQuery = z.object({
  ...filterShape,
  format: optional(z.enum(["jsonl", "csv"])).transform((format) => format ?? "jsonl"),
});

const CONTENT_TYPES = { jsonl: "application/x-ndjson; charset=utf-8", csv: "text/csv; charset=utf-8" };

/** Writes `chunk`, waiting while the client is slower than the database. */
async function send(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

export function auditRoutes(db: Database): Router {
  const router = Router();

  router.get("/api/admin/audit", requireAdmin, async (req, res) => {
    const query = parseInput(pageQuery, req.query, "query");
    const page = await queryAudit(db, query);
    res.setHeader("Cache-Control", "no-store");
    res.json({ events: page.events.map(publicAuditEvent), nextBefore: page.nextBefore });
  });

  /** Every action the log records, for the viewer's filter. */
  router.get("/api/admin/audit/actions", requireAdmin, (_req, res) => {
    res.json({ actions: AUDIT_ACTIONS });
  });

  router.get("/api/admin/audit/export", requireAdmin, async (req, res) => {
    const { format, ...filter } = parseInput(exportQuery, req.query, "query");
    let gone = false;
    res.on("close", () => {
      if (!res.writableFinished) gone = true;
    });
    let started = false;
    // Headers go out with the first batch, so a failure before it is still an ordinary error answer.
    const start = () => {
      if (started) return;
      started = true;
      const date = new Date().toISOString().slice(0, 10);
      res.status(200);
      res.setHeader("Content-Type", CONTENT_TYPES[format]);
      res.setHeader("Content-Disposition", `attachment; filename="clawden-audit-${date}.${format}"`);
      res.setHeader("Cache-Control", "no-store");
      if (format === "csv") res.write(csvHeader());
    };
    for await (const batch of exportAudit(db, filter)) {
      start();
      const lines = batch.map((record) => {
        const event = publicAuditEvent(record);
        return format === "csv" ? csvLine(event) : jsonLine(event);
      });
      await send(res, lines.join(""));
      // The client went away: stop reading the log (leaving the loop closes the generator).
      if (gone) return;
    }
    start();
    res.end();
  });

  return router;
}
