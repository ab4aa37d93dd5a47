// <settings-page>: "/admin/settings": who may sign up (open, allowlist, or approval by an
// administrator), the allowlist (one email or @domain per line) and who must use MFA; and the single
// sign-on (OpenID Connect) providers: list, add, edit (the client secret is write-only: left blank, the
// stored one stays) and delete. Changing the providers needs a recent sign-in (withReauth and the kit's
// <reauth-dialog>).
import { answerReauthRequests, errorMessage, sharedStyles, withReauth } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { adminStyles } from "./admin-styles.js";
import {
  deleteSsoProvider,
  getSignUpSettings,
  listSsoProviders,
  saveSignUpSettings,
  saveSsoProvider,
  type SignUpSettings,
  type SsoProvider,
} from "./api.js";
import {
  allowlistText,
  DEFAULT_SSO_SCOPES,
  MFA_REQUIRED,
  parseAllowlist,
  SIGN_UP_MODES,
  ssoRequest,
  type MfaRequired,
  type SignUpMode,
  type SsoForm,
} from "./settings-forms.js";
import { dataTable, errorAlert, noticeStatus } from "./templates.js";
import "./confirm-dialog.js";

const MODE_LABELS: Record<SignUpMode, { label: string; hint: string }> = {
  open: { label: "Open", hint: "Anyone with an email address can create an account." },
  allowlist: { label: "Allowlist", hint: "Only the emails and domains listed below can create an account." },
  approval: {
    label: "Approval",
    hint: "Anyone can ask for an account; it stays pending until an administrator approves it.",
  },
};

const MFA_LABELS: Record<MfaRequired, string> = {
  off: "Off: MFA is optional for everyone",
  admins: "Administrators must use MFA",
  everyone: "Everyone must use MFA",
};

const EMPTY_SSO_FORM: SsoForm = {
  id: "",
  name: "",
  issuer: "",
  clientId: "",
  clientSecret: "",
  removeSecret: false,
  scopes: DEFAULT_SSO_SCOPES,
  enabled: true,
};

/** The SSO form while it is open: for a new provider, or for editing `editing`. */
interface SsoEditor {
  form: SsoForm;
  editing: SsoProvider | null;
}

/** How one text input of the SSO form differs from the others (by default: optional, no spell-checking). */
interface SsoInputOptions {
  type?: "url" | "password";
  required?: boolean;
  readonly?: boolean;
  placeholder?: string;
  autocomplete?: string;
  spellcheck?: boolean;
  /** Shown under the input. */
  hint?: string;
}

export class SettingsPage extends LitElement {
  static override properties = {
    signUp: { state: true },
    mode: { state: true },
    allowlist: { state: true },
    mfaRequired: { state: true },
    signUpBusy: { state: true },
    signUpError: { state: true },
    signUpNotice: { state: true },
    providers: { state: true },
    ssoBusy: { state: true },
    ssoError: { state: true },
    ssoNotice: { state: true },
    editor: { state: true },
    deleting: { state: true },
  };
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      section.card + section.card {
        margin-top: 2rem;
      }
      section.card h2 {
        margin-top: 0;
      }
      textarea {
        width: 100%;
        box-sizing: border-box;
        min-height: 8rem;
        resize: vertical;
      }
      .choice .hint {
        display: block;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0.75rem 1rem;
        margin-bottom: 1rem;
      }
      .editor {
        margin-top: 1.25rem;
        border-top: 1px solid var(--border);
        padding-top: 1rem;
      }
      .editor h3 {
        margin: 0 0 0.75rem;
      }
      .redirect {
        margin: 0.75rem 0 0;
      }
      .redirect code {
        overflow-wrap: anywhere;
      }
      td .actions {
        margin: 0;
        gap: 0.5rem;
        flex-wrap: nowrap;
      }
      td {
        word-break: break-word;
      }
    `,
  ];

  /** The settings as saved (null until loaded). */
  declare signUp: SignUpSettings | null;
  declare mode: SignUpMode;
  declare allowlist: string;
  declare mfaRequired: MfaRequired;
  declare signUpBusy: boolean;
  declare signUpError: string;
  declare signUpNotice: string;
  declare providers: SsoProvider[] | null;
  declare ssoBusy: boolean;
  declare ssoError: string;
  declare ssoNotice: string;
  declare editor: SsoEditor | null;
  /** The provider waiting for the administrator's yes to its deletion. */
  declare deleting: SsoProvider | null;
  /** Where providers send people back to (`{id}` stands for the provider's id); null until loaded. */
  private redirectUriTemplate: string | null = null;

  constructor() {
    super();
    this.signUp = null;
    this.mode = "open";
    this.allowlist = "";
    this.mfaRequired = "off";
    this.signUpBusy = false;
    this.signUpError = "";
    this.signUpNotice = "";
    this.providers = null;
    this.ssoBusy = false;
    this.ssoError = "";
    this.ssoNotice = "";
    this.editor = null;
    this.deleting = null;
    answerReauthRequests(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.signUpRequest("Loading the sign-up settings failed.", getSignUpSettings);
    void this.loadProviders();
  }

  // --- Sign-up ------------------------------------------------------------------------------------

  /** Loads or saves the settings, then shows them as the server has them and says `done`. */
  private async signUpRequest(
    failure: string,
    request: () => Promise<SignUpSettings>,
    done = "",
  ): Promise<void> {
    this.signUpBusy = true;
    try {
      const settings = await request();
      this.signUp = settings;
      this.mode = settings.mode;
      this.allowlist = allowlistText(settings.allowlist);
      this.mfaRequired = settings.mfaRequired;
      this.signUpNotice = done;
    } catch (error) {
      this.signUpError = errorMessage(error, failure);
    } finally {
      this.signUpBusy = false;
    }
  }

  private readonly onAllowlist = (event: Event): void => {
    this.allowlist = (event.target as HTMLTextAreaElement).value;
    this.signUpNotice = "";
  };

  private readonly onSaveSignUp = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    this.signUpError = "";
    this.signUpNotice = "";
    const { entries, invalid } = parseAllowlist(this.allowlist);
    if (invalid.length > 0) {
      this.signUpError = `Not an email or @domain: ${invalid.join(", ")}`;
      return;
    }
    if (this.mode === "allowlist" && entries.length === 0) {
      this.signUpError = "With an allowlist, nobody new can sign up until it has an entry. Add at least one.";
      return;
    }
    const settings = { mode: this.mode, allowlist: entries, mfaRequired: this.mfaRequired };
    await this.signUpRequest(
      "Saving the sign-up settings failed.",
      () => saveSignUpSettings(settings),
      "Sign-up settings saved.",
    );
  };

  /**
   * A radio button for each of `values`, `current` checked. Picking one passes it to `pick` and, as any
   * edit of the sign-up form does, clears the "saved" notice.
   */
  private radios<T extends string>(
    name: string,
    values: readonly T[],
    current: T,
    pick: (value: T) => void,
    label: (value: T) => unknown,
  ): TemplateResult[] {
    return values.map(
      (value) => html`
        <label class="choice">
          <input
            type="radio"
            name=${name}
            value=${value}
            .checked=${live(current === value)}
            @change=${() => {
              pick(value);
              this.signUpNotice = "";
            }}
          />
          <span>${label(value)}</span>
        </label>
      `,
    );
  }

  private signUpSection(): TemplateResult {
    const disabled = this.signUpBusy || this.signUp === null;
    return html`
      <section class="card" aria-labelledby="sign-up-heading">
        <h2 id="sign-up-heading">Sign-up</h2>
        <form @submit=${this.onSaveSignUp}>
          <fieldset ?disabled=${disabled}>
            <legend>Who can create an account</legend>
            ${this.radios(
              "mode",
              SIGN_UP_MODES,
              this.mode,
              (mode) => (this.mode = mode),
              (mode) => html`${MODE_LABELS[mode].label}<span class="hint">${MODE_LABELS[mode].hint}</span>`,
            )}
          </fieldset>
          <div class="field">
            <label for="allowlist">Allowlist</label>
            <span class="hint" id="allowlist-hint"
              >One email (<code>ana@example.com</code>) or domain (<code>@example.com</code>) per line. Used
              in allowlist mode.</span
            >
            <textarea
              id="allowlist"
              aria-describedby="allowlist-hint"
              spellcheck="false"
              ?disabled=${disabled}
              .value=${live(this.allowlist)}
              @input=${this.onAllowlist}
            ></textarea>
          </div>
          <fieldset ?disabled=${disabled}>
            <legend>Require MFA</legend>
            ${this.radios(
              "mfa",
              MFA_REQUIRED,
              this.mfaRequired,
              (level) => (this.mfaRequired = level),
              (level) => MFA_LABELS[level],
            )}
          </fieldset>
          ${noticeStatus(this.signUpNotice)} ${errorAlert(this.signUpError)}
          <div class="actions">
            <button type="submit" ?disabled=${disabled}>
              ${this.signUpBusy && this.signUp ? "Saving…" : "Save sign-up settings"}
            </button>
          </div>
        </form>
      </section>
    `;
  }

  // --- Single sign-on -----------------------------------------------------------------------------

  private async loadProviders(): Promise<void> {
    try {
      const { providers, redirectUriTemplate } = await listSsoProviders();
      this.redirectUriTemplate = redirectUriTemplate;
      this.providers = providers;
    } catch (error) {
      this.ssoError = errorMessage(error, "Loading the SSO providers failed.");
    }
  }

  /** Opens the SSO form: empty for a new provider, else filled in from `provider` (the secret blank). */
  private openEditor(provider: SsoProvider | null): void {
    this.ssoError = "";
    this.ssoNotice = "";
    const form = provider
      ? {
          ...EMPTY_SSO_FORM,
          id: provider.id,
          name: provider.name,
          issuer: provider.issuer,
          clientId: provider.clientId,
          scopes: provider.scopes,
          enabled: provider.enabled,
        }
      : { ...EMPTY_SSO_FORM };
    this.editor = { form, editing: provider };
  }

  private readonly onSsoInput = (event: Event): void => {
    if (!this.editor) return;
    const input = event.target as HTMLInputElement;
    const key = input.name as keyof SsoForm;
    const value = input.type === "checkbox" ? input.checked : input.value;
    this.editor = { ...this.editor, form: { ...this.editor.form, [key]: value } };
  };

  private readonly onCancelEdit = (): void => {
    this.editor = null;
    this.ssoError = "";
  };

  private readonly onSaveProvider = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const editor = this.editor;
    if (!editor) return;
    this.ssoError = "";
    this.ssoNotice = "";
    const request = ssoRequest(editor.form);
    if (!request.ok) {
      this.ssoError = request.message;
      return;
    }
    if (!editor.editing && this.providers?.some((provider) => provider.id === request.id)) {
      this.ssoError = `There is already a provider with the id “${request.id}”: edit it instead.`;
      return;
    }
    const { id, body } = request;
    await this.ssoChange("Saving the provider failed.", async () => {
      await saveSsoProvider(id, body);
      this.editor = null;
      this.ssoNotice = `Saved the provider “${body.name}”.`;
    });
  };

  private readonly onConfirmDelete = async (): Promise<void> => {
    const provider = this.deleting;
    this.deleting = null;
    if (!provider) return;
    await this.ssoChange("Deleting the provider failed.", async () => {
      await deleteSsoProvider(provider.id);
      if (this.editor?.editing?.id === provider.id) this.editor = null;
      this.ssoNotice = `Deleted the provider “${provider.name}”.`;
    });
  };

  /**
   * Runs a change to the providers, then shows the list as it is now. Changing who may sign in needs a
   * recent sign-in: on `reauth_required` the change waits for <reauth-dialog> and runs again after it.
   */
  private async ssoChange(failure: string, change: () => Promise<void>): Promise<void> {
    this.ssoBusy = true;
    this.ssoError = "";
    this.ssoNotice = "";
    try {
      await withReauth(this, change);
      await this.loadProviders();
    } catch (error) {
      this.ssoError = errorMessage(error, failure);
    } finally {
      this.ssoBusy = false;
    }
  }

  private readonly onCancelDelete = (): void => {
    this.deleting = null;
  };

  private providerRow(provider: SsoProvider): TemplateResult {
    return html`
      <tr>
        <th scope="row">${provider.name}</th>
        <td><code>${provider.id}</code></td>
        <td>${provider.issuer}</td>
        <td>${provider.clientId}</td>
        <td>${provider.scopes}</td>
        <td>${provider.hasSecret ? "Set" : html`<span class="muted">None</span>`}</td>
        <td>
          <span class="badge ${provider.enabled ? "on" : "off"}"
            >${provider.enabled ? "Enabled" : "Disabled"}</span
          >
        </td>
        <td>
          <div class="actions">
            <button
              class="secondary small"
              ?disabled=${this.ssoBusy}
              aria-label="Edit ${provider.name}"
              @click=${() => this.openEditor(provider)}
            >
              Edit
            </button>
            <button
              class="secondary small"
              ?disabled=${this.ssoBusy}
              aria-label="Delete ${provider.name}"
              @click=${() => {
                this.ssoNotice = "";
                this.deleting = provider;
              }}
            >
              Delete
            </button>
          </div>
        </td>
      </tr>
    `;
  }

  /** One text input of the SSO form (id `sso-{key}`), bound to `form[key]`, with its hint under it. */
  private ssoInput(
    form: SsoForm,
    key: Exclude<keyof SsoForm, "removeSecret" | "enabled">,
    label: string,
    input: SsoInputOptions = {},
  ): TemplateResult {
    const id = `sso-${key}`;
    return html`
      <div class="field">
        <label for=${id}>${label}</label>
        <input
          id=${id}
          name=${key}
          type=${input.type ?? nothing}
          ?required=${input.required}
          ?readonly=${input.readonly}
          autocomplete=${input.autocomplete ?? "off"}
          spellcheck=${input.spellcheck ? nothing : "false"}
          placeholder=${input.placeholder ?? nothing}
          aria-describedby=${input.hint ? `${id}-hint` : nothing}
          .value=${live(form[key])}
          @input=${this.onSsoInput}
        />
        ${input.hint ? html`<span class="hint" id="${id}-hint">${input.hint}</span>` : nothing}
      </div>
    `;
  }

  private providerForm(editor: SsoEditor): TemplateResult {
    const { form, editing } = editor;
    const busy = this.ssoBusy;
    const secretHint = editing?.hasSecret
      ? "A secret is stored. Leave blank to keep it; type a new one to replace it."
      : "Leave blank for a public client (PKCE only).";
    return html`
      <form class="editor" @submit=${this.onSaveProvider} aria-labelledby="editor-heading">
        <h3 id="editor-heading">${editing ? `Edit “${editing.name}”` : "Add a provider"}</h3>
        <div class="grid">
          ${this.ssoInput(form, "id", "Id", {
            required: true,
            readonly: editing !== null,
            hint: "Lower-case letters, digits and hyphens; part of the callback URL",
          })}
          ${this.ssoInput(form, "name", "Name", {
            required: true,
            spellcheck: true,
            hint: "Shown on the sign-in button",
          })}
          ${this.ssoInput(form, "issuer", "Issuer URL", {
            type: "url",
            required: true,
            placeholder: "https://accounts.example.com",
            hint: "Where the provider's discovery document lives",
          })}
          ${this.ssoInput(form, "clientId", "Client id", { required: true })}
          ${this.ssoInput(form, "clientSecret", "Client secret", {
            type: "password",
            autocomplete: "new-password",
            hint: secretHint,
          })}
          ${this.ssoInput(form, "scopes", "Scopes", { hint: "Separated by spaces" })}
        </div>
        ${
          editing?.hasSecret
            ? html`<label class="choice">
                <input
                  type="checkbox"
                  name="removeSecret"
                  .checked=${live(form.removeSecret)}
                  @change=${this.onSsoInput}
                />
                <span>Remove the stored secret (a public client, PKCE only)</span>
              </label>`
            : nothing
        }
        <label class="choice">
          <input type="checkbox" name="enabled" .checked=${live(form.enabled)} @change=${this.onSsoInput} />
          <span>Enabled: offered on the sign-in page</span>
        </label>
        ${
          this.redirectUriTemplate
            ? html`<p class="hint redirect">
                Redirect URI to register with the provider:
                <code>${this.redirectUriTemplate.replace("{id}", form.id.trim() || "{id}")}</code>
              </p>`
            : nothing
        }
        <div class="actions">
          <button type="submit" ?disabled=${busy}>${busy ? "Saving…" : "Save provider"}</button>
          <button type="button" class="secondary" ?disabled=${busy} @click=${this.onCancelEdit}>
            Cancel
          </button>
        </div>
      </form>
    `;
  }

  private ssoSection(): TemplateResult {
    const providers = this.providers;
    return html`
      <section class="card" aria-labelledby="sso-heading">
        <h2 id="sso-heading">Single sign-on</h2>
        <p class="muted">OpenID Connect providers people can sign in with, next to email links.</p>
        ${noticeStatus(this.ssoNotice)} ${errorAlert(this.ssoError)}
        ${dataTable({
          caption: "Single sign-on providers",
          columns: [
            "Name",
            "Id",
            "Issuer",
            "Client id",
            "Scopes",
            "Secret",
            "Status",
            html`<span class="visually-hidden">Actions</span>`,
          ],
          rows: providers?.map((provider) => this.providerRow(provider)) ?? [],
          empty: providers ? "No providers yet." : "Loading…",
        })}
        ${
          this.editor
            ? this.providerForm(this.editor)
            : html`<div class="actions">
                <button
                  class="secondary"
                  ?disabled=${this.ssoBusy || providers === null}
                  @click=${() => this.openEditor(null)}
                >
                  Add a provider
                </button>
              </div>`
        }
        <confirm-dialog
          .open=${this.deleting !== null}
          heading="Delete this provider?"
          confirm-label="Delete"
          danger
          @confirm=${this.onConfirmDelete}
          @cancel=${this.onCancelDelete}
        >
          <p>
            Nobody can sign in with <strong>${this.deleting?.name ?? ""}</strong> any more, and the accounts
            linked to it lose that link (they can still sign in by email).
          </p>
        </confirm-dialog>
      </section>
    `;
  }

  override render(): TemplateResult {
    return html`
      <div class="top"><h1>Sign-up &amp; SSO</h1></div>
      ${this.signUpSection()} ${this.ssoSection()}
      <reauth-dialog code-only></reauth-dialog>
    `;
  }
}

customElements.define("settings-page", SettingsPage);

declare global {
  interface HTMLElementTagNameMap {
    "settings-page": SettingsPage;
  }
}
