// The one module admin-ui's components call for management-server's API: typed functions that never
// let components build URLs, built on @clawden/kit/ui's request helper; every failure is an ApiError
// whose message can be shown as it is. The session calls every app shares (re-authentication among
// them, which <reauth-dialog> makes) and the shapes both apps read come from the kit too.
import { apiRequest, json, type ApiKeySummary, type SessionSummary, type User } from "@clawden/kit/ui";
import { auditExportParams, auditParams, type AuditFilter, type ExportFormat } from "./audit-query.js";
import type { MfaRequired, SignUpMode, SsoProviderBody } from "./settings-forms.js";
import { usersApiParams, type UsersQuery } from "./users-query.js";

export {
  ApiError,
  getMe,
  type ApiKeySummary,
  type Role,
  type SessionSummary,
  type User,
} from "@clawden/kit/ui";

const enc = encodeURIComponent;

// --- System ---------------------------------------------------------------------------------------

/** How one server of the platform answers its readiness check, as management-server sees it. */
export interface ServiceStatus {
  name: string;
  ready: boolean;
  detail: string;
  latencyMs: number;
}

/** Readiness of every server (administrators only). */
export async function getSystem(): Promise<ServiceStatus[]> {
  const res = await apiRequest("GET", "/api/admin/system");
  return (await json<{ services: ServiceStatus[] }>(res)).services;
}

// --- Users ----------------------------------------------------------------------------------------

export interface AdminUserSummary extends User {
  mfaEnabled: boolean;
  lastSeenAt: string | null;
}

export interface UserPage {
  users: AdminUserSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UserDetail {
  user: User;
  mfaEnabled: boolean;
  sessions: SessionSummary[];
  apiKeys: ApiKeySummary[];
}

/** One page of users matching the list's filters. */
export async function listUsers(query: UsersQuery): Promise<UserPage> {
  const res = await apiRequest("GET", `/api/admin/users?${usersApiParams(query).toString()}`);
  return json<UserPage>(res);
}

/** A user with their sessions and API keys; an ApiError with status 404 when there is no such user. */
export async function getUser(id: string): Promise<UserDetail> {
  const res = await apiRequest("GET", `/api/admin/users/${enc(id)}`);
  return json<UserDetail>(res);
}

/** What an administrator can do to an account (besides changing its role). */
export type UserAction = "approve" | "suspend" | "reactivate" | "reset-mfa" | "revoke-sessions";

export interface UserActionResult {
  user: User;
  /** Suspend only: whether the container is already stopped (false: it is stopped as soon as possible). */
  containerStopped?: boolean;
}

/** Approves, suspends, reactivates, resets the MFA of, or signs out everywhere, a user. */
export async function userAction(id: string, action: UserAction): Promise<UserActionResult> {
  const res = await apiRequest("POST", `/api/admin/users/${enc(id)}/${action}`);
  return json<UserActionResult>(res);
}

/** Makes a user an administrator or not (needs a recent sign-in: 403 `reauth_required` otherwise). */
export async function setUserRole(id: string, role: User["role"]): Promise<User> {
  const res = await apiRequest("POST", `/api/admin/users/${enc(id)}/role`, { role });
  return (await json<{ user: User }>(res)).user;
}

// --- Sign-up settings -----------------------------------------------------------------------------

export interface SignUpSettings {
  mode: SignUpMode;
  allowlist: string[];
  mfaRequired: MfaRequired;
}

export async function getSignUpSettings(): Promise<SignUpSettings> {
  return json<SignUpSettings>(await apiRequest("GET", "/api/admin/settings/sign-up"));
}

/** Saves the sign-up settings; resolves to them as saved (the server normalises the allowlist). */
export async function saveSignUpSettings(settings: SignUpSettings): Promise<SignUpSettings> {
  return json<SignUpSettings>(await apiRequest("PUT", "/api/admin/settings/sign-up", settings));
}

// --- Audit log ------------------------------------------------------------------------------------

export interface AuditEvent {
  seq: number | string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  actorTenant: string | null;
  action: string;
  outcome: "success" | "failure" | "denied";
  targetType: string | null;
  targetId: string | null;
  targetTenant: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` for the next, older page; null when there is none. */
  nextBefore: number | string | null;
}

/** The newest events matching `filter` (older than `before` when given). */
export async function listAuditEvents(
  filter: AuditFilter,
  before?: number | string | null,
  limit = 50,
): Promise<AuditPage> {
  const params = auditParams(filter, { before, limit });
  return json<AuditPage>(await apiRequest("GET", `/api/admin/audit?${params.toString()}`));
}

/** Every action the audit log records (for the filter's suggestions). */
export async function listAuditActions(): Promise<string[]> {
  return (await json<{ actions: string[] }>(await apiRequest("GET", "/api/admin/audit/actions"))).actions;
}

/** Where the browser downloads the events matching `filter` as a file (a plain link, with the cookie). */
export function auditExportUrl(format: ExportFormat, filter: AuditFilter): string {
  return `/api/admin/audit/export?${auditExportParams(format, filter).toString()}`;
}

// --- Single sign-on -------------------------------------------------------------------------------

export interface SsoProvider {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  /** Space-separated. */
  scopes: string;
  enabled: boolean;
  hasSecret: boolean;
}

export interface SsoProviderList {
  providers: SsoProvider[];
  /** The callback URL to register with a provider, `{id}` standing for its id. */
  redirectUriTemplate: string;
}

export async function listSsoProviders(): Promise<SsoProviderList> {
  return json<SsoProviderList>(await apiRequest("GET", "/api/admin/sso"));
}

/**
 * Creates or updates the provider `id`; a body without clientSecret keeps the stored one, null removes
 * it. Needs a recent sign-in (403 `reauth_required` otherwise), as deleting does.
 */
export async function saveSsoProvider(id: string, body: SsoProviderBody): Promise<void> {
  await apiRequest("PUT", `/api/admin/sso/${enc(id)}`, body);
}

export async function deleteSsoProvider(id: string): Promise<void> {
  await apiRequest("DELETE", `/api/admin/sso/${enc(id)}`);
}
