// @clawden/kit/ui: what Clawden's web apps (user-ui, admin-ui) share. Bundled by Vite from source (the
// "source" export condition); importing it defines <not-found-page>. The global stylesheet is a separate
// export, @clawden/kit/ui/styles.css, imported by each app's src/main.ts.
export { ApiError, apiRequest, setCsrfToken, type HttpMethod } from "./api-client.js";
export { NotFoundPage } from "./not-found-page.js";
export { createRouter, type Router, type RouterOptions } from "./router.js";
export { getMe, logout, type Role, type User } from "./session-api.js";
export { frameStyles, sharedStyles } from "./shared-styles.js";
export { SignOutController } from "./sign-out.js";
