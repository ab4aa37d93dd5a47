// How admin-ui shows times: the browser's local date and time in a <time> element that keeps the
// exact instant, and "—" (with words for screen readers) when there is none. The .visually-hidden
// class comes from adminStyles.
import { html, type TemplateResult } from "lit";

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

/** The value, or "—" read out as `none`. */
export function orDash(value: string | null | undefined, none = "none"): TemplateResult {
  return value ? html`${value}` : dash(none);
}
