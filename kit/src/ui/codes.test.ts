// Cleaning up typed second-factor codes before they are sent.
import { describe, expect, it } from "vitest";
import {
  groupSecret,
  isRecoveryCode,
  isTotpCode,
  normaliseAnyCode,
  normaliseRecoveryCode,
  normaliseTotpCode,
  readCode,
} from "./codes.js";

describe("TOTP codes", () => {
  it("drops the spaces and dashes people copy along", () => {
    expect(normaliseTotpCode(" 123 456 ")).toBe("123456");
    expect(normaliseTotpCode("123-456")).toBe("123456");
    expect(isTotpCode("123456")).toBe(true);
    expect(isTotpCode("12345")).toBe(false);
    expect(isTotpCode("12345a")).toBe(false);
    expect(isTotpCode("1234567")).toBe(false);
  });
});

describe("recovery codes", () => {
  it("lower-cases, trims and puts the dash back", () => {
    expect(normaliseRecoveryCode(" ABCDE-12345 ")).toBe("abcde-12345");
    expect(normaliseRecoveryCode("abcde12345")).toBe("abcde-12345");
    expect(normaliseRecoveryCode("abcde 12345")).toBe("abcde-12345");
    expect(isRecoveryCode("abcde-12345")).toBe(true);
    expect(isRecoveryCode("abcde12345")).toBe(false);
  });

  it("leaves what does not look like a code for the server to refuse", () => {
    expect(normaliseRecoveryCode("abc")).toBe("abc");
  });
});

describe("normaliseAnyCode", () => {
  it("tells the two kinds apart", () => {
    expect(normaliseAnyCode("123 456")).toBe("123456");
    expect(normaliseAnyCode("ABCDE12345")).toBe("abcde-12345");
  });
});

describe("readCode", () => {
  it("takes only 6 digits in an authenticator code field", () => {
    expect(readCode("totp", "123 456")).toBe("123456");
    expect(readCode("totp", "12345")).toBeNull();
    expect(readCode("totp", "abcde-12345")).toBeNull();
  });

  it("takes anything but nothing in the other fields, cleaned up for the server", () => {
    expect(readCode("recovery", "ABCDE12345")).toBe("abcde-12345");
    expect(readCode("recovery", "  ")).toBeNull();
    expect(readCode("any", " 123-456 ")).toBe("123456");
    expect(readCode("any", "ABCDE 12345")).toBe("abcde-12345");
    expect(readCode("any", "")).toBeNull();
  });
});

describe("groupSecret", () => {
  it("groups a base32 key by four", () => {
    expect(groupSecret("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
    expect(groupSecret("ABCDEF")).toBe("ABCD EF");
    expect(groupSecret("AB CD")).toBe("ABCD");
  });
});
