// <api-keys-page .session=${…}>: "/account/api-keys": the account's platform API keys (name, the
// start of the key, scopes, dates) with Revoke (asked twice), and a form that creates one; the new
// key's secret is shown this once. Creating needs a recent sign-in (<reauth-dialog>). Anonymous
// visitors are sent to sign in first.
import { answerReauthRequests, errorMessage, sharedStyles, withReauth } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import {
  API_KEY_SCOPES,
  createApiKey,
  getAccount,
  listApiKeys,
  revokeApiKey,
  type Account,
  type ApiKeyScope,
  type ApiKeySummary,
} from "./api.js";
import { formatDate, formatDateTime, formatRelative } from "./format.js";
import { formStyles } from "./form-styles.js";
import { outcome, outcomeStyles } from "./outcome.js";
import { notSignedIn, requireSignIn, type Session } from "./session.js";

const SCOPE_LABELS: Record<ApiKeyScope, { label: string; hint: string }> = {
  chat: { label: "chat", hint: "talk to your assistant through the API" },
  "account:read": { label: "account:read", hint: "read who the key belongs to" },
};

const EXPIRY_CHOICES = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
] as const;

export class ApiKeysPage extends LitElement {
  static override properties = {
    session: { attribute: false },
    account: { state: true },
    keys: { state: true },
    loading: { state: true },
    error: { state: true },
    notice: { state: true },
    name: { state: true },
    scopes: { state: true },
    expiry: { state: true },
    creating: { state: true },
    formError: { state: true },
    created: { state: true },
    copied: { state: true },
    confirming: { state: true },
    revoking: { state: true },
  };
  static override styles = [
    sharedStyles,
    formStyles,
    outcomeStyles,
    css`
      .sections {
        display: flex;
        flex-direction: column;
        gap: 1.5rem;
      }
      h2 {
        margin-top: 0;
      }
      .lead {
        color: var(--muted);
      }
      input#key-name {
        width: 100%;
        max-width: 24rem;
        box-sizing: border-box;
      }
      .created {
        border-color: var(--ok);
      }
      td.action {
        text-align: right;
        white-space: nowrap;
      }
      td.action .actions {
        margin: 0;
        justify-content: flex-end;
        gap: 0.5rem;
      }
      .scope {
        display: inline-block;
        margin: 0 0.25rem 0.25rem 0;
        white-space: nowrap;
      }
      .sub {
        display: block;
        margin-top: 0.2rem;
        font-size: 0.875rem;
        font-weight: normal;
        color: var(--muted);
        white-space: nowrap;
      }
      thead th {
        white-space: nowrap;
      }
      td time {
        white-space: nowrap;
      }
      select {
        align-self: flex-start;
      }
    `,
  ];

  declare session: Session;
  declare account: Account | null;
  declare keys: ApiKeySummary[];
  declare loading: boolean;
  declare error: string;
  declare notice: string;
  declare name: string;
  declare scopes: ApiKeyScope[];
  declare expiry: (typeof EXPIRY_CHOICES)[number]["value"];
  declare creating: boolean;
  declare formError: string;
  /** The key just created, with its secret: shown until the person presses Done. */
  declare created: { apiKey: ApiKeySummary; secret: string } | null;
  declare copied: boolean;
  /** The key whose Revoke was pressed once (asking "are you sure?"). */
  declare confirming: string;
  declare revoking: string;

  constructor() {
    super();
    this.session = { status: "loading" };
    this.account = null;
    this.keys = [];
    this.loading = true;
    this.error = "";
    this.notice = "";
    this.name = "";
    this.scopes = ["chat"];
    this.expiry = "90";
    this.creating = false;
    this.formError = "";
    this.created = null;
    this.copied = false;
    this.confirming = "";
    this.revoking = "";
    requireSignIn(this, () => void this.load());
    answerReauthRequests(this);
  }

  private async load(): Promise<void> {
    this.loading = true;
    try {
      const [account, keys] = await Promise.all([getAccount(), listApiKeys()]);
      this.account = account;
      this.keys = keys;
      this.error = "";
    } catch (error) {
      this.error = errorMessage(error, "Loading your API keys failed.");
    } finally {
      this.loading = false;
    }
  }

  private async reloadKeys(): Promise<void> {
    try {
      this.keys = await listApiKeys();
    } catch (error) {
      this.error = errorMessage(error, "Loading your API keys failed.");
    }
  }

  private readonly onName = (event: Event): void => {
    this.name = (event.target as HTMLInputElement).value;
  };

  private onScope(scope: ApiKeyScope, event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    const others = this.scopes.filter((s) => s !== scope);
    this.scopes = checked ? API_KEY_SCOPES.filter((s) => s === scope || others.includes(s)) : others;
  }

  private readonly onExpiry = (event: Event): void => {
    this.expiry = (event.target as HTMLSelectElement).value as typeof this.expiry;
  };

  private readonly onCreate = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.create();
  };

  private async create(): Promise<void> {
    const name = this.name.trim();
    if (!name) {
      this.formError = "Give the key a name, such as the program that will use it.";
      this.renderRoot.querySelector<HTMLInputElement>("#key-name")?.focus();
      return;
    }
    if (this.scopes.length === 0) {
      this.formError = "Choose at least one thing the key may do.";
      this.renderRoot.querySelector<HTMLInputElement>("fieldset input")?.focus();
      return;
    }
    this.creating = true;
    this.formError = "";
    this.notice = "";
    this.copied = false;
    try {
      const expiresInDays = this.expiry === "never" ? null : Number(this.expiry);
      this.created = await withReauth(this, () => createApiKey({ name, scopes: this.scopes, expiresInDays }));
      this.name = "";
      await this.reloadKeys();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#created-title")?.focus();
    } catch (error) {
      this.formError = errorMessage(error, "Creating the key failed.");
    } finally {
      this.creating = false;
    }
  }

  private readonly onCopy = (): void => {
    void this.copy();
  };

  private async copy(): Promise<void> {
    if (!this.created) return;
    try {
      await navigator.clipboard.writeText(this.created.secret);
      this.copied = true;
    } catch {
      this.copied = false;
      this.notice = "Copying did not work in this browser: select the key and copy it yourself.";
    }
  }

  private readonly onDone = (): void => {
    this.created = null;
    this.copied = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#keys-title")?.focus());
  };

  private askRevoke(key: ApiKeySummary): void {
    this.confirming = key.id;
    this.error = "";
    this.notice = "";
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`[data-confirm="${key.id}"]`)?.focus(),
    );
  }

  private async revoke(key: ApiKeySummary): Promise<void> {
    this.revoking = key.id;
    this.error = "";
    try {
      await withReauth(this, () => revokeApiKey(key.id));
      this.notice = `Revoked the key “${key.name}”. Programs using it can no longer call the API.`;
      this.confirming = "";
      if (this.created?.apiKey.id === key.id) this.created = null;
      await this.reloadKeys();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#keys-title")?.focus();
    } catch (error) {
      this.error = errorMessage(error, "Revoking the key failed.");
    } finally {
      this.revoking = "";
    }
  }

  private createdCard(created: { apiKey: ApiKeySummary; secret: string }): TemplateResult {
    return html`
      <section class="card created" aria-labelledby="created-title">
        <h2 id="created-title" tabindex="-1">Your new key “${created.apiKey.name}”</h2>
        <p class="warning">
          Copy the key now and keep it somewhere safe: it is shown only this once. Anyone who has it can use
          the API as you.
        </p>
        <code class="secret" data-testid="api-key-secret">${created.secret}</code>
        <div class="actions">
          <button class="secondary" @click=${this.onCopy}>${this.copied ? "Copied" : "Copy"}</button>
          <button @click=${this.onDone}>Done</button>
        </div>
        <p role="status">${this.copied ? "The key is on your clipboard." : nothing}</p>
      </section>
    `;
  }

  private keyRow(key: ApiKeySummary, now: Date): TemplateResult {
    const confirming = this.confirming === key.id;
    return html`
      <tr data-testid="api-key-row">
        <th scope="row">
          ${key.name}
          <span class="sub"><code data-testid="api-key-prefix">ocpk_${key.prefix}…</code></span>
          <span class="sub"
            >Created
            <time datetime=${key.createdAt} title=${formatDateTime(key.createdAt)}
              >${formatDate(key.createdAt)}</time
            ></span
          >
        </th>
        <td>${key.scopes.map((scope) => html`<code class="scope">${scope}</code>`)}</td>
        <td>
          ${
            key.expiresAt
              ? html`<time datetime=${key.expiresAt} title=${formatDateTime(key.expiresAt)}
                  >${formatDate(key.expiresAt)}</time
                >`
              : "Never"
          }
        </td>
        <td>
          ${
            key.lastUsedAt
              ? html`<time datetime=${key.lastUsedAt} title=${formatDateTime(key.lastUsedAt)}
                  >${formatRelative(key.lastUsedAt, now)}</time
                >`
              : html`<span class="muted">Never</span>`
          }
        </td>
        <td class="action">
          ${
            confirming
              ? html`<div class="actions" role="group" aria-label="Revoke ${key.name}?">
                  <button
                    class="danger small"
                    data-confirm=${key.id}
                    ?disabled=${this.revoking !== ""}
                    aria-busy=${this.revoking === key.id ? "true" : "false"}
                    @click=${() => void this.revoke(key)}
                  >
                    ${this.revoking === key.id ? "Revoking…" : "Yes, revoke"}
                  </button>
                  <button
                    class="secondary small"
                    ?disabled=${this.revoking !== ""}
                    @click=${() => (this.confirming = "")}
                  >
                    Cancel
                  </button>
                </div>`
              : html`<button
                  class="danger small"
                  aria-label="Revoke ${key.name}"
                  ?disabled=${this.revoking !== ""}
                  @click=${() => this.askRevoke(key)}
                >
                  Revoke
                </button>`
          }
        </td>
      </tr>
    `;
  }

  private keysCard(): TemplateResult {
    const now = new Date();
    return html`
      <section class="card" aria-labelledby="keys-title" aria-busy=${this.loading ? "true" : "false"}>
        <h2 id="keys-title" tabindex="-1">Your keys</h2>
        ${
          this.loading
            ? html`<p class="muted">Loading…</p>`
            : this.keys.length === 0
              ? html`<p class="muted">You have no API keys.</p>`
              : html`
                  <div class="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">Name</th>
                          <th scope="col">Scopes</th>
                          <th scope="col">Expires</th>
                          <th scope="col">Last used</th>
                          <th scope="col"><span class="visually-hidden">Actions</span></th>
                        </tr>
                      </thead>
                      <tbody>
                        ${this.keys.map((key) => this.keyRow(key, now))}
                      </tbody>
                    </table>
                  </div>
                `
        }
        ${outcome(this.error, this.notice)}
      </section>
    `;
  }

  private createCard(): TemplateResult {
    return html`
      <section class="card" aria-labelledby="create-title">
        <h2 id="create-title">Create a key</h2>
        <form novalidate @submit=${this.onCreate}>
          <div class="field">
            <label for="key-name">Name</label>
            <p class="hint" id="key-name-hint">
              To recognise the key later, such as the program that uses it.
            </p>
            <input
              id="key-name"
              type="text"
              maxlength="100"
              autocomplete="off"
              required
              .value=${this.name}
              aria-describedby="key-name-hint"
              @input=${this.onName}
            />
          </div>
          <fieldset>
            <legend>What the key may do</legend>
            ${API_KEY_SCOPES.map(
              (scope) => html`
                <label class="choice">
                  <input
                    type="checkbox"
                    name="scopes"
                    value=${scope}
                    .checked=${this.scopes.includes(scope)}
                    @change=${(event: Event) => this.onScope(scope, event)}
                  />
                  <span><code>${SCOPE_LABELS[scope].label}</code>: ${SCOPE_LABELS[scope].hint}</span>
                </label>
              `,
            )}
          </fieldset>
          <div class="field">
            <label for="key-expiry">Expires after</label>
            <select id="key-expiry" .value=${this.expiry} @change=${this.onExpiry}>
              ${EXPIRY_CHOICES.map(
                (choice) =>
                  html`<option value=${choice.value} ?selected=${choice.value === this.expiry}>
                    ${choice.label}
                  </option>`,
              )}
            </select>
          </div>
          ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
          <div class="actions">
            <button type="submit" ?disabled=${this.creating} aria-busy=${this.creating ? "true" : "false"}>
              ${this.creating ? "Creating…" : "Create key"}
            </button>
          </div>
        </form>
      </section>
    `;
  }

  override render(): TemplateResult {
    if (this.session.status !== "signed-in")
      return notSignedIn(this.session, "API keys", "/account/api-keys");
    return html`
      <h1>API keys</h1>
      <p class="lead">
        Programs use an API key to call Clawden's API as you, with the header
        <code>Authorization: Bearer ocpk_…</code>. Treat keys like passwords, and revoke any you no longer
        use.
      </p>
      <div class="sections">
        ${this.created ? this.createdCard(this.created) : nothing} ${this.keysCard()} ${this.createCard()}
      </div>
      <reauth-dialog
        .mfaEnabled=${this.account?.mfa.enabled ?? false}
        .email=${this.session.user.email}
      ></reauth-dialog>
    `;
  }
}

customElements.define("api-keys-page", ApiKeysPage);

declare global {
  interface HTMLElementTagNameMap {
    "api-keys-page": ApiKeysPage;
  }
}
