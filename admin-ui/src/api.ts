// The one module admin-ui's components call for management-server's API: typed functions that never
// let components build URLs, built on @clawden/kit/ui's request helper; every failure is an ApiError
// whose message can be shown as it is. The session calls every app shares come from the kit too.
import { apiRequest } from "@clawden/kit/ui";

export { ApiError, getMe, type Role, type User } from "@clawden/kit/ui";

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
  return ((await res.json()) as { services: ServiceStatus[] }).services;
}
