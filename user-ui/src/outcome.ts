// The last lines of a card whose buttons report back (<mfa-settings>, <sessions-list>, the API keys
// page): what went wrong, as an alert, and what was just done, in a status line that is always there
// (empty until it has news) so that screen readers announce what appears in it.
import { css, html, nothing, type TemplateResult } from "lit";

export function outcome(error: string, notice: string): TemplateResult {
  return html`
    ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
    <p role="status" class=${notice ? "notice" : ""}>${notice}</p>
  `;
}

/** Spacing for outcome(), and for the card's other errors and status lines. */
export const outcomeStyles = css`
  [role="status"] {
    margin: 0;
  }
  [role="status"].notice,
  .error {
    margin: 1rem 0 0;
  }
`;
