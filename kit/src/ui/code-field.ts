// The text field people type a second-factor code into, used at sign-in (user-ui) and by
// <reauth-dialog>: a code from an authenticator app ("totp"), a recovery code ("recovery"), or either
// ("any"). A template, not an element, so that its <label for=…>, which the caller writes, stays in the
// same shadow root. Read what was typed with readCode() (codes.ts).
import { css, html, nothing, type TemplateResult } from "lit";
import type { CodeKind } from "./codes.js";

export interface CodeFieldOptions {
  id: string;
  kind: CodeKind;
  value: string;
  onInput: (event: Event) => void;
  /** The id of the hint (or error) that describes the field. */
  describedBy?: string;
  /** Sets aria-invalid ("true" or "false") when given. */
  invalid?: boolean;
}

export function codeField(options: CodeFieldOptions): TemplateResult {
  const { id, kind, value, onInput, describedBy, invalid } = options;
  const recovery = kind === "recovery";
  return html`<input
    id=${id}
    class=${recovery ? "code recovery" : "code"}
    type="text"
    inputmode=${recovery ? nothing : "numeric"}
    autocomplete=${recovery ? "off" : "one-time-code"}
    autocapitalize=${recovery ? "none" : nothing}
    spellcheck="false"
    maxlength=${kind === "totp" ? "9" : "24"}
    .value=${value}
    aria-invalid=${invalid === undefined ? nothing : invalid ? "true" : "false"}
    aria-describedby=${describedBy ?? nothing}
    @input=${onInput}
  />`;
}

/** The look of codeField(), and of a row holding it with its submit button. */
export const codeFieldStyles = css`
  input.code {
    font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
    font-size: 1.25rem;
    letter-spacing: 0.15em;
    width: 12ch;
  }
  input.code.recovery {
    width: 16ch;
    letter-spacing: 0.05em;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
  }
`;
