// @clawden/kit/ui: what Clawden's web apps (user-ui, admin-ui) share. Bundled by Vite from source (the
// "source" export condition); importing it defines <not-found-page> and <reauth-dialog>. The global
// stylesheet is a separate export, @clawden/kit/ui/styles.css, imported by each app's src/main.ts.
export type { Account, ApiKeySummary, MfaStatus, SessionSummary } from "./account-types.js";
export { ApiError, apiRequest, json, setCsrfToken, type HttpMethod } from "./api-client.js";
export { codeField, codeFieldStyles, type CodeFieldOptions } from "./code-field.js";
export { groupSecret, isRecoveryCode, readCode, type CodeKind } from "./codes.js";
export { NotFoundPage } from "./not-found-page.js";
export {
  errorMessage,
  ReauthCancelledError,
  ReauthenticatedEvent,
  ReauthRequestEvent,
  withReauth,
} from "./reauth.js";
export { answerReauthRequests, ReauthDialog } from "./reauth-dialog.js";
export { createRouter, type Router, type RouterOptions } from "./router.js";
export { getAccount, getMe, logout, type Role, type User } from "./session-api.js";
export { dialogStyles, frameStyles, sharedFormStyles, sharedStyles } from "./shared-styles.js";
export { SignOutController } from "./sign-out.js";
