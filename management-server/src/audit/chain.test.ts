import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalEvent, canonicalJson, GENESIS_HASH, hashEvent, type AuditRow } from "./chain.js";

const row: AuditRow = {
  seq: 7,
  at: new Date("2025-03-04T05:06:07.089Z"),
  actorId: "0b9e3a52-6c1f-4a43-9d0e-3f3c1c2b8a11",
  actorTenant: "platform",
  action: "user.suspended",
  outcome: "success",
  targetType: "user",
  targetId: "5f0c7c1e-2a4b-4e0f-8a77-0d9f1b6e2c33",
  targetTenant: "user:5f0c7c1e-2a4b-4e0f-8a77-0d9f1b6e2c33",
  ip: "203.0.113.9",
  details: { reason: "abuse", nested: { b: 2, a: [1, { y: true, x: null }] } },
};

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 2, { f: 1, e: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,2,{"e":2,"f":1}]},"b":1}',
    );
  });

  it("gives the same text whatever the insertion order (as jsonb reorders keys)", () => {
    const one = { alpha: 1, beta: { x: 1, y: 2 }, gamma: [1, 2] };
    const two = { gamma: [1, 2], beta: { y: 2, x: 1 }, alpha: 1 };
    expect(canonicalJson(two)).toBe(canonicalJson(one));
  });

  it("escapes strings as JSON and keeps a key named __proto__ as data", () => {
    const value = JSON.parse('{"__proto__":{"z":1},"q":"a\\"b\\n\\u2028"}') as { [k: string]: string };
    expect(canonicalJson(value)).toBe('{"__proto__":{"z":1},"q":"a\\"b\\n\u2028"}');
  });
});

describe("canonicalEvent", () => {
  it("is a JSON array of the fields in a fixed order, led by the format version", () => {
    const text = canonicalEvent(row).toString("utf8");
    expect(JSON.parse(text)).toEqual([
      1,
      7,
      "2025-03-04T05:06:07.089Z",
      row.actorId,
      "platform",
      "user.suspended",
      "success",
      "user",
      row.targetId,
      row.targetTenant,
      "203.0.113.9",
      { reason: "abuse", nested: { b: 2, a: [1, { y: true, x: null }] } },
    ]);
    expect(text).toContain('{"nested":{"a":[1,{"x":null,"y":true}],"b":2},"reason":"abuse"}');
  });

  it("tells null from an empty string and distinguishes every field", () => {
    const base = canonicalEvent(row);
    const variants: Partial<AuditRow>[] = [
      { seq: 8 },
      { at: new Date("2025-03-04T05:06:07.090Z") },
      { actorId: null },
      { actorTenant: "" },
      { action: "user.approved" },
      { outcome: "failure" },
      { targetType: null },
      { targetId: "other" },
      { targetTenant: null },
      { ip: "203.0.113.10" },
      { details: { reason: "abuse" } },
    ];
    for (const change of variants) expect(canonicalEvent({ ...row, ...change }).equals(base)).toBe(false);
  });

  it("refuses a seq or time the log cannot hold", () => {
    expect(() => canonicalEvent({ ...row, seq: 0 })).toThrow(RangeError);
    expect(() => canonicalEvent({ ...row, seq: 1.5 })).toThrow(RangeError);
    expect(() => canonicalEvent({ ...row, at: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe("hashEvent", () => {
  it("is SHA-256 of the previous hash followed by the canonical bytes", () => {
    const expected = createHash("sha256").update(GENESIS_HASH).update(canonicalEvent(row)).digest();
    expect(hashEvent(GENESIS_HASH, row).equals(expected)).toBe(true);
    expect(GENESIS_HASH.equals(Buffer.alloc(32))).toBe(true);
  });

  it("chains: the same row after another previous hash hashes differently", () => {
    const first = hashEvent(GENESIS_HASH, { ...row, seq: 1 });
    const second = hashEvent(first, { ...row, seq: 2 });
    expect(second).toHaveLength(32);
    expect(hashEvent(GENESIS_HASH, { ...row, seq: 2 }).equals(second)).toBe(false);
  });

  it("is stable: a known row gives a known hash", () => {
    // Pins the canonical form: changing it would make every stored log fail verification. The value
    // was checked independently: Python's json.dumps(sort_keys=True, separators=(",", ":")).
    expect(hashEvent(GENESIS_HASH, row).toString("hex")).toBe(
      "729eb7ae57787ae6280bd42fa57cb410e443ca2cf096aa546f10c81a59fa6102",
    );
  });

  it("refuses a previous hash that is not 32 bytes", () => {
    expect(() => hashEvent(Buffer.alloc(31), row)).toThrow(RangeError);
  });
});
