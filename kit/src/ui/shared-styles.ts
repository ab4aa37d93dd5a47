// Rules every component of a Clawden web app adopts (shadow roots do not see the global stylesheet):
// type, links, buttons, cards, messages and a visible focus ring. They draw with the custom properties
// that styles.css sets on the page.
import { css } from "lit";

export const sharedStyles = css`
  :host {
    display: block;
  }
  h1 {
    font-size: 1.5rem;
    line-height: 1.25;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.125rem;
    margin: 1.5rem 0 0.5rem;
  }
  p,
  ol,
  ul {
    margin: 0 0 1rem;
  }
  li + li {
    margin-top: 0.25rem;
  }
  a {
    color: var(--accent);
    text-underline-offset: 0.15em;
  }
  a:hover {
    color: var(--accent-hover);
  }
  code {
    font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
    font-size: 0.9em;
    background: var(--bg);
    border: 1px solid var(--border);
    border-radius: 4px;
    padding: 0.05em 0.3em;
  }
  button {
    font: inherit;
    font-weight: 600;
    padding: 0.5rem 1.1rem;
    border-radius: var(--radius);
    border: 1px solid var(--accent);
    background: var(--accent);
    color: var(--accent-fg);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--accent-hover);
  }
  button.secondary {
    background: var(--surface);
    color: var(--accent);
  }
  button.secondary:hover:not(:disabled) {
    background: var(--bg);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  a:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  .card {
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 1.5rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    margin-top: 1.25rem;
  }
  .muted {
    color: var(--muted);
  }
  .error {
    color: var(--danger);
    background: var(--danger-bg);
    border: 1px solid currentColor;
    border-radius: var(--radius);
    padding: 0.75rem 1rem;
  }
`;

/**
 * The frame of an app's shell: the top bar (`<header><div class="bar">` holding a `.brand`) and the
 * `<main>` column under it, both as wide as `--page-width`, which each app's shell sets on its :host.
 */
export const frameStyles = css`
  header {
    background: var(--surface);
    border-bottom: 1px solid var(--border);
  }
  .bar {
    max-width: var(--page-width);
    margin: 0 auto;
    padding: 0.75rem 1.25rem;
  }
  .brand {
    font-weight: 700;
    font-size: 1.125rem;
    color: var(--fg);
    text-decoration: none;
  }
  main {
    max-width: var(--page-width);
    margin: 2rem auto;
    padding: 0 1.25rem;
  }
  main:focus {
    outline: none;
  }
`;
