// The users list's address-bar state, its API query and its "Showing …" line.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_USERS_QUERY,
  pageCount,
  parseUsersQuery,
  showingText,
  usersApiParams,
  usersQueryString,
  withFilters,
  type UsersQuery,
} from "./users-query.js";

const parse = (search: string) => parseUsersQuery(new URLSearchParams(search));

describe("parseUsersQuery", () => {
  it("reads every filter", () => {
    expect(parse("?q=ana%40example&state=pending&role=admin&page=3&pageSize=50")).toEqual({
      q: "ana@example",
      state: "pending",
      role: "admin",
      page: 3,
      pageSize: 50,
    });
  });

  it("falls back to the defaults for anything missing, unknown or malformed", () => {
    expect(parse("")).toEqual(DEFAULT_USERS_QUERY);
    expect(parse("?state=deleted&role=root&page=0&pageSize=7")).toEqual(DEFAULT_USERS_QUERY);
    expect(parse("?page=-2&pageSize=abc")).toEqual(DEFAULT_USERS_QUERY);
    expect(parse("?page=1e3")).toEqual(DEFAULT_USERS_QUERY);
    expect(parse("?page=2.5")).toEqual(DEFAULT_USERS_QUERY);
    expect(parse("?q=%20%20")).toEqual(DEFAULT_USERS_QUERY);
  });

  it("trims the search", () => {
    expect(parse("?q=%20bob%20").q).toBe("bob");
  });
});

describe("usersQueryString", () => {
  it("is empty for the defaults", () => {
    expect(usersQueryString(DEFAULT_USERS_QUERY)).toBe("");
  });

  it("leaves out what is at its default", () => {
    expect(usersQueryString({ ...DEFAULT_USERS_QUERY, state: "suspended" })).toBe("?state=suspended");
    expect(usersQueryString({ ...DEFAULT_USERS_QUERY, page: 2 })).toBe("?page=2");
    expect(usersQueryString({ ...DEFAULT_USERS_QUERY, q: "  " })).toBe("");
  });

  it("round-trips through parseUsersQuery", () => {
    const queries: UsersQuery[] = [
      { q: "a+b@example.com", state: "active", role: "user", page: 4, pageSize: 10 },
      { q: "ümlaut & co", state: "", role: "admin", page: 1, pageSize: 100 },
      DEFAULT_USERS_QUERY,
    ];
    for (const query of queries) expect(parse(usersQueryString(query))).toEqual(query);
  });

  it("encodes the search so it cannot inject parameters", () => {
    const text = usersQueryString({ ...DEFAULT_USERS_QUERY, q: "x&state=suspended" });
    expect(parse(text)).toEqual({ ...DEFAULT_USERS_QUERY, q: "x&state=suspended" });
  });
});

describe("usersApiParams", () => {
  it("always sends the page and its size, and the filters that are set", () => {
    expect(usersApiParams(DEFAULT_USERS_QUERY).toString()).toBe("page=1&pageSize=25");
    expect(
      usersApiParams({ q: "bob", state: "pending", role: "admin", page: 2, pageSize: 50 }).toString(),
    ).toBe("q=bob&state=pending&role=admin&page=2&pageSize=50");
  });
});

describe("withFilters", () => {
  it("goes back to page 1 when a filter changes", () => {
    const query = { ...DEFAULT_USERS_QUERY, page: 5 };
    expect(withFilters(query, { state: "active" })).toEqual({ ...DEFAULT_USERS_QUERY, state: "active" });
    expect(withFilters(query, { q: "x" }).page).toBe(1);
    expect(withFilters(query, { pageSize: 10 }).page).toBe(1);
  });
});

describe("pagination", () => {
  it("counts pages, at least one", () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
    expect(pageCount(120, 25)).toBe(5);
  });

  it("says which users are shown", () => {
    expect(showingText(2, 25, 120)).toBe("Showing 26–50 of 120");
    expect(showingText(1, 25, 120)).toBe("Showing 1–25 of 120");
    expect(showingText(5, 25, 120)).toBe("Showing 101–120 of 120");
    expect(showingText(2, 25, 30)).toBe("Showing 26–30 of 30");
    expect(showingText(1, 25, 1)).toBe("Showing 1 of 1");
    expect(showingText(3, 10, 21)).toBe("Showing 21 of 21");
  });

  it("trusts the number of users the page actually holds", () => {
    // The total changed between the count and the page (users were added or removed meanwhile).
    expect(showingText(1, 25, 30, 24)).toBe("Showing 1–24 of 30");
  });

  it("says when there is nothing to show", () => {
    expect(showingText(1, 25, 0)).toBe("No users match");
    expect(showingText(9, 25, 30)).toBe("No users on this page (30 in all)");
  });
});
