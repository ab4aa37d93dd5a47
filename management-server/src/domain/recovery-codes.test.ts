import { describe, expect, it } from "vitest";
import {
  hashRecoveryCode,
  newRecoveryCode,
  normalizeRecoveryCode,
  recoveryCodeMatches,
} from "./recovery-codes.js";

describe("recovery codes", () => {
  it("are 10 characters of an unambiguous alphabet, written in two groups, and differ", () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(200);
  });

  it("accept any case, spaces and dashes when typed, and nothing else", () => {
    expect(normalizeRecoveryCode(" ABCDE fghjk ")).toBe("abcde-fghjk");
    expect(normalizeRecoveryCode("abcde-fghjk")).toBe("abcde-fghjk");
    expect(normalizeRecoveryCode("abcdefghjk")).toBe("abcde-fghjk");
    expect(normalizeRecoveryCode("abcde-fghj")).toBeNull();
    expect(normalizeRecoveryCode("abcde-fghj1")).toBeNull();
    expect(normalizeRecoveryCode("123456")).toBeNull();
  });

  it("are stored as Argon2id hashes that match only the code", async () => {
    const code = newRecoveryCode();
    const hashed = await hashRecoveryCode(code);
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await recoveryCodeMatches(hashed, code)).toBe(true);
    expect(await recoveryCodeMatches(hashed, newRecoveryCode())).toBe(false);
    expect(await recoveryCodeMatches("not a hash", code)).toBe(false);
  });
});
