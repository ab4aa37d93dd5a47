// Signing out from a component: a Lit controller that calls logout() when its Sign out button is
// pressed, keeps the button busy meanwhile and holds the error to show if it fails. On success it calls
// `signedOut` (which leaves the page or shows the visitor as anonymous) and stays busy.
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { errorMessage } from "./reauth.js";
import { logout } from "./session-api.js";

export class SignOutController implements ReactiveController {
  busy = false;
  /** Why the last attempt failed, for a `<p class="error" role="alert">`; "" when it did not. */
  error = "";

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly signedOut: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Nothing to set up: the controller acts only when its button is pressed.
  }

  /** The Sign out button ("Signing out…" and disabled while busy). */
  button(): TemplateResult {
    return html`<button class="secondary" ?disabled=${this.busy} @click=${this.onClick}>
      ${this.busy ? "Signing out…" : "Sign out"}
    </button>`;
  }

  private readonly onClick = (): void => {
    void this.signOut();
  };

  private async signOut(): Promise<void> {
    this.busy = true;
    this.error = "";
    this.host.requestUpdate();
    try {
      await logout();
      this.signedOut();
    } catch (error) {
      this.error = errorMessage(error, "Signing out failed.");
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}
