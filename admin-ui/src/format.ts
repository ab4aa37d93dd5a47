// How admin-ui shows values: times as the browser's local date and time in a <time> element that keeps
// the exact instant, "—" (with words for screen readers) when there is none, and account states. The
// .visually-hidden class comes from the kit's sharedFormStyles, part of adminStyles.
import { html, type TemplateResult } from "lit";

const STATE_LABELS: Record<string, string> = { pending: "Pending", active: "Active", suspended: "Suspended" };

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** "—" for an absent value, read out by screen readers as `none`. */
export function dash(none: string): TemplateResult {
  return html`<span aria-hidden="true">—</span><span class="visually-hidden">${none}</span>`;
}

/** A time for tables and lists; `none` is read out when there is no time ("never", "not known"). */
export function timeText(iso: string | null | undefined, none = "never", seconds = false): TemplateResult {
  if (!iso) return dash(none);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`${iso}`;
  const text = (seconds ? dateTimeSeconds : dateTime).format(date);
  return html`<time datetime=${date.toISOString()} title=${date.toISOString()}>${text}</time>`;
}

/** An account's state as people read it ("Pending"); one this app does not know, as the server says it. */
export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

/** The value, or "—" read out as `none`. */
export function orDash(value: string | null | undefined, none = "none"): TemplateResult {
  return value ? html`${value}` : dash(none);
}
