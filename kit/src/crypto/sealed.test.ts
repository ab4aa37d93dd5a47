import { createDecipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyRing, open, parseKeyList, seal, sealedKeyId, SealError } from "./sealed.js";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };

describe("seal/open", () => {
  it("round-trips and never repeats a ciphertext", () => {
    const ring = keyRing([k1]);
    const a = seal(ring, "secret value", "agent:u1");
    const b = seal(ring, "secret value", "agent:u1");
    expect(a.equals(b)).toBe(false);
    expect(open(ring, a, "agent:u1").toString()).toBe("secret value");
    expect(a.includes(Buffer.from("secret value"))).toBe(false);
  });

  it("refuses other associated data (a value moved to another row)", () => {
    const ring = keyRing([k1]);
    const sealed = seal(ring, "secret", "agent:u1");
    expect(() => open(ring, sealed, "agent:u2")).toThrow(SealError);
  });

  it("refuses a tampered value", () => {
    const ring = keyRing([k1]);
    const sealed = seal(ring, "secret", "x");
    sealed[sealed.length - 20]! ^= 1;
    expect(() => open(ring, sealed, "x")).toThrow(/does not open/);
  });

  it("seals with the newest key and opens with any configured key", () => {
    const old = seal(keyRing([k1]), "old", "x");
    const rotated = keyRing([k2, k1]);
    expect(open(rotated, old, "x").toString()).toBe("old");
    const fresh = seal(rotated, "new", "x");
    expect(sealedKeyId(fresh)).toBe("k2");
    expect(() => open(keyRing([k1]), fresh, "x")).toThrow(/key k2, which is not configured/);
  });

  it("matches the documented layout (an independent AES-GCM decryption)", () => {
    const ring = keyRing([k1]);
    const sealed = seal(ring, "layout check", "aad");
    expect(sealed[0]).toBe(1);
    expect(sealed[1]).toBe(2);
    expect(sealed.subarray(2, 4).toString()).toBe("k1");
    const nonce = sealed.subarray(4, 16);
    const decipher = createDecipheriv("aes-256-gcm", k1.key, nonce);
    decipher.setAAD(Buffer.from("aad"));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([decipher.update(sealed.subarray(16, sealed.length - 16)), decipher.final()]);
    expect(plain.toString()).toBe("layout check");
  });

  it("parses key lists and refuses bad keys", () => {
    const keys = parseKeyList(`k2:${k2.key.toString("base64")}, k1:${k1.key.toString("base64")}`);
    expect(keys.map((k) => k.id)).toEqual(["k2", "k1"]);
    expect(() => keyRing([{ id: "short", key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => keyRing([k1, { ...k2, id: "k1" }])).toThrow(/twice/);
    expect(() => parseKeyList("nokey")).toThrow(/id:base64/);
  });
});
