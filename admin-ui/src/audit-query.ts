// The audit viewer's filters: what the form holds (datetime-local values, in the browser's time zone)
// and what GET /api/admin/audit and its export are asked for (ISO 8601 instants). Pure functions,
// unit-tested in audit-query.test.ts.

/** The filter form as it is filled in. `from`/`to` are datetime-local values ("2025-01-31T09:30") or "". */
export interface AuditFilterForm {
  /** A user id or an email, passed on as given. */
  actor: string;
  action: string;
  from: string;
  to: string;
}

/** The filters as the API takes them: empty ones left out, times as ISO 8601 instants. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

export type ExportFormat = "jsonl" | "csv";

export const EMPTY_AUDIT_FORM: AuditFilterForm = { actor: "", action: "", from: "", to: "" };

/**
 * Suggestions for the action filter: each family (`auth.*`, which the server reads as a prefix) and
 * then every action the server says the log records (GET /api/admin/audit/actions); any other text
 * works too.
 */
export function actionSuggestions(actions: readonly string[]): string[] {
  const families = [...new Set(actions.filter((a) => a.includes(".")).map((a) => `${a.split(".")[0]}.*`))];
  return [...families, ...actions];
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** A datetime-local value (the browser's local time) as an ISO 8601 instant; null if it is not one. */
export function localToIso(value: string): string | null {
  if (!LOCAL_DATE_TIME.test(value)) return null;
  // Without an offset, a date-time string is local time.
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export type FilterResult = { ok: true; filter: AuditFilter } | { ok: false; message: string };

/** The API's filters for the form, or why they cannot be used (a time that is not one, from after to). */
export function auditFilterFromForm(form: AuditFilterForm): FilterResult {
  const filter: AuditFilter = {};
  const actor = form.actor.trim();
  const action = form.action.trim();
  if (actor) filter.actor = actor;
  if (action) filter.action = action;
  for (const key of ["from", "to"] as const) {
    const value = form[key].trim();
    if (!value) continue;
    const iso = localToIso(value);
    if (!iso) return { ok: false, message: `“${key === "from" ? "From" : "To"}” is not a date and time.` };
    filter[key] = iso;
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    return { ok: false, message: "“From” is after “To”." };
  }
  return { ok: true, filter };
}

/** The query of GET /api/admin/audit: the filters, then `before` (a seq, for older pages) and `limit`. */
export function auditParams(
  filter: AuditFilter,
  page: { before?: string | number | null; limit?: number } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["actor", "action", "from", "to"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (page.before !== undefined && page.before !== null && page.before !== "") {
    params.set("before", String(page.before));
  }
  if (page.limit !== undefined) params.set("limit", String(page.limit));
  return params;
}

/** The query of GET /api/admin/audit/export: the format first, then the same filters as the view. */
export function auditExportParams(format: ExportFormat, filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams({ format });
  for (const [key, value] of auditParams(filter)) params.set(key, value);
  return params;
}
