// The users list's state as it lives in the address bar (`/admin/users?q=&state=&role=&page=&pageSize=`),
// so back and forward walk through searches and pages; what the API is asked for it; and the
// "Showing 26–50 of 120" line. Pure functions, unit-tested in users-query.test.ts.
import type { Role } from "@clawden/kit/ui";

export const USER_STATES = ["pending", "active", "suspended"] as const;
export type UserState = (typeof USER_STATES)[number];
export const ROLES: readonly Role[] = ["user", "admin"];

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

export interface UsersQuery {
  /** Part of an email; "" for every user. */
  q: string;
  /** "" for every state. */
  state: UserState | "";
  /** "" for every role. */
  role: Role | "";
  /** 1-based. */
  page: number;
  pageSize: number;
}

export const DEFAULT_USERS_QUERY: UsersQuery = {
  q: "",
  state: "",
  role: "",
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

function positiveInt(value: string | null): number | null {
  if (value === null || !/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | "" {
  return allowed.find((candidate) => candidate === value) ?? "";
}

/** Reads the list's state from the address bar's query; anything unknown or malformed is the default. */
export function parseUsersQuery(params: URLSearchParams): UsersQuery {
  const size = positiveInt(params.get("pageSize"));
  return {
    q: (params.get("q") ?? "").trim(),
    state: oneOf(params.get("state"), USER_STATES),
    role: oneOf(params.get("role"), ROLES),
    page: positiveInt(params.get("page")) ?? 1,
    pageSize: PAGE_SIZES.find((allowed) => allowed === size) ?? DEFAULT_PAGE_SIZE,
  };
}

/** The filters that are set: the search, state and role. */
function filterParams(query: UsersQuery): URLSearchParams {
  const params = new URLSearchParams();
  const q = query.q.trim();
  if (q) params.set("q", q);
  if (query.state) params.set("state", query.state);
  if (query.role) params.set("role", query.role);
  return params;
}

/** The address bar's query for `query` ("" for the defaults, else "?…"); defaults are left out. */
export function usersQueryString(query: UsersQuery): string {
  const params = filterParams(query);
  if (query.page > 1) params.set("page", String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The parameters of GET /api/admin/users for `query` (page and pageSize always; filters when set). */
export function usersApiParams(query: UsersQuery): URLSearchParams {
  const params = filterParams(query);
  params.set("page", String(query.page));
  params.set("pageSize", String(query.pageSize));
  return params;
}

/** `query` with some filters changed; a changed filter starts again at page 1. */
export function withFilters(
  query: UsersQuery,
  change: Partial<Pick<UsersQuery, "q" | "state" | "role" | "pageSize">>,
): UsersQuery {
  return { ...query, ...change, page: 1 };
}

/** How many pages `total` users make (at least 1, so "page 1 of 1" holds for an empty list). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** "Showing 26–50 of 120"; "Showing 1 of 1"; "No users match" when there are none on the page. */
export function showingText(page: number, pageSize: number, total: number, shown?: number): string {
  const first = (page - 1) * pageSize + 1;
  const onPage = shown ?? Math.max(0, Math.min(pageSize, total - first + 1));
  if (total === 0 || onPage === 0)
    return total === 0 ? "No users match" : `No users on this page (${total} in all)`;
  const last = first + onPage - 1;
  return first === last ? `Showing ${first} of ${total}` : `Showing ${first}–${last} of ${total}`;
}
