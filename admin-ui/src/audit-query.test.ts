// The audit viewer's filters: from the form (local times) to the API's query and the export link's.
import { describe, expect, it } from "vitest";
import {
  actionSuggestions,
  auditExportParams,
  auditFilterFromForm,
  auditParams,
  EMPTY_AUDIT_FORM,
  localToIso,
} from "./audit-query.js";

describe("localToIso", () => {
  it("reads a datetime-local value as local time", () => {
    expect(localToIso("2025-03-01T09:30")).toBe(new Date(2025, 2, 1, 9, 30).toISOString());
    expect(localToIso("2025-03-01T09:30:15")).toBe(new Date(2025, 2, 1, 9, 30, 15).toISOString());
  });

  it("refuses what is not a date and time", () => {
    for (const value of ["", "2025-03-01", "tomorrow", "2025-13-45T99:99", "2025-03-01T09:30Z"]) {
      expect(localToIso(value)).toBeNull();
    }
  });
});

describe("auditFilterFromForm", () => {
  it("leaves out empty fields", () => {
    expect(auditFilterFromForm(EMPTY_AUDIT_FORM)).toEqual({ ok: true, filter: {} });
    expect(auditFilterFromForm({ actor: "  ", action: "", from: " ", to: "" })).toEqual({
      ok: true,
      filter: {},
    });
  });

  it("passes the actor on as given (trimmed) and turns times into instants", () => {
    const result = auditFilterFromForm({
      actor: " ana@example.com ",
      action: "user.suspended",
      from: "2025-01-01T00:00",
      to: "2025-01-02T12:00",
    });
    expect(result).toEqual({
      ok: true,
      filter: {
        actor: "ana@example.com",
        action: "user.suspended",
        from: new Date(2025, 0, 1, 0, 0).toISOString(),
        to: new Date(2025, 0, 2, 12, 0).toISOString(),
      },
    });
  });

  it("says what is wrong with the times", () => {
    expect(auditFilterFromForm({ ...EMPTY_AUDIT_FORM, from: "yesterday" })).toEqual({
      ok: false,
      message: "“From” is not a date and time.",
    });
    expect(
      auditFilterFromForm({ ...EMPTY_AUDIT_FORM, from: "2025-01-02T00:00", to: "2025-01-01T00:00" }),
    ).toEqual({
      ok: false,
      message: "“From” is after “To”.",
    });
  });
});

describe("auditParams", () => {
  const filter = { actor: "0b5e…", action: "auth.login", from: "2025-01-01T00:00:00.000Z" };

  it("sends the filters that are set, then the page", () => {
    expect(auditParams({}).toString()).toBe("");
    expect(auditParams(filter, { limit: 50 }).toString()).toBe(
      "actor=0b5e%E2%80%A6&action=auth.login&from=2025-01-01T00%3A00%3A00.000Z&limit=50",
    );
    expect(auditParams({ action: "x" }, { before: 1234, limit: 50 }).toString()).toBe(
      "action=x&before=1234&limit=50",
    );
    expect(auditParams({ action: "x" }, { before: "99" }).get("before")).toBe("99");
  });

  it("leaves out an absent `before`", () => {
    expect(auditParams({}, { before: null }).has("before")).toBe(false);
    expect(auditParams({}, { before: "" }).has("before")).toBe(false);
  });

  it("gives the export the same filters, after the format, and never a page", () => {
    const params = auditExportParams("csv", { ...filter, to: "2025-02-01T00:00:00.000Z" });
    expect([...params.keys()]).toEqual(["format", "actor", "action", "from", "to"]);
    expect(params.get("format")).toBe("csv");
    expect(params.get("to")).toBe("2025-02-01T00:00:00.000Z");
    expect(auditExportParams("jsonl", {}).toString()).toBe("format=jsonl");
  });
});

describe("actionSuggestions", () => {
  it("offers each family first, then every action", () => {
    expect(actionSuggestions(["auth.login", "auth.logout", "user.suspended"])).toEqual([
      "auth.*",
      "user.*",
      "auth.login",
      "auth.logout",
      "user.suspended",
    ]);
    expect(actionSuggestions([])).toEqual([]);
  });
});
