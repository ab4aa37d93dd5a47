// The Sign-up & SSO page's forms: the allowlist's lines and an SSO provider's request body.
import { describe, expect, it } from "vitest";
import { allowlistText, parseAllowlist, ssoRequest, type SsoForm } from "./settings-forms.js";

describe("parseAllowlist", () => {
  it("takes one email or @domain per line, lower-cased, without blanks or repeats", () => {
    expect(
      parseAllowlist(" Ana@Example.com \n\n@example.org\r\nana@example.com\n  \n@Sub.Example.net"),
    ).toEqual({
      entries: ["ana@example.com", "@example.org", "@sub.example.net"],
      invalid: [],
    });
  });

  it("reports lines that are neither", () => {
    expect(parseAllowlist("example.com\n@\nbob@\n@-bad.com\nok@example.com\nfoo bar@example.com")).toEqual({
      entries: ["ok@example.com"],
      invalid: ["example.com", "@", "bob@", "@-bad.com", "foo bar@example.com"],
    });
  });

  it("round-trips saved entries", () => {
    const entries = ["a@example.com", "@example.org"];
    expect(parseAllowlist(allowlistText(entries)).entries).toEqual(entries);
    expect(parseAllowlist("")).toEqual({ entries: [], invalid: [] });
  });
});

describe("ssoRequest", () => {
  const form: SsoForm = {
    id: "corp",
    name: " Corp SSO ",
    issuer: "https://login.corp.example/",
    clientId: " clawden ",
    clientSecret: "",
    removeSecret: false,
    scopes: " openid   email\tprofile ",
    enabled: true,
  };

  it("builds the body, without the secret when left blank (the stored one stays)", () => {
    expect(ssoRequest(form)).toEqual({
      ok: true,
      id: "corp",
      body: {
        name: "Corp SSO",
        issuer: "https://login.corp.example/",
        clientId: "clawden",
        scopes: "openid email profile",
        enabled: true,
      },
    });
  });

  it("sends a typed secret, and leaves out empty scopes", () => {
    const result = ssoRequest({ ...form, clientSecret: " s3cret ", scopes: " ", enabled: false });
    expect(result.ok && result.body).toEqual({
      name: "Corp SSO",
      issuer: "https://login.corp.example/",
      clientId: "clawden",
      clientSecret: "s3cret",
      enabled: false,
    });
  });

  it("removes the stored secret when asked, but not while a new one is typed", () => {
    const removed = ssoRequest({ ...form, removeSecret: true });
    expect(removed.ok && removed.body.clientSecret).toBeNull();
    expect(ssoRequest({ ...form, removeSecret: true, clientSecret: "new" }).ok).toBe(false);
  });

  it("refuses a bad id, a missing name or client id, and an issuer that is not a web address", () => {
    for (const bad of [
      { id: "Corp" },
      { id: "-corp" },
      { id: "" },
      { id: "a".repeat(33) },
      { name: "  " },
      { clientId: "" },
      { issuer: "login.corp.example" },
      { issuer: "ftp://login.corp.example" },
      { scopes: "email profile" },
    ]) {
      expect(ssoRequest({ ...form, ...bad }).ok).toBe(false);
    }
  });
});
