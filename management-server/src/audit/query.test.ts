import { describe, expect, it } from "vitest";
import { AUDIT_CSV_COLUMNS, csvCell, csvHeader, csvLine, jsonLine, type PublicAuditEvent } from "./query.js";

const event: PublicAuditEvent = {
  seq: 3,
  at: "2025-03-04T05:06:07.089Z",
  actorId: "0b9e3a52-6c1f-4a43-9d0e-3f3c1c2b8a11",
  actorEmail: "ada@example.com",
  actorTenant: "platform",
  action: "user.suspended",
  outcome: "success",
  targetType: "user",
  targetId: null,
  targetTenant: null,
  ip: "::1",
  details: { note: 'said "hi", then\nleft' },
};

describe("csvCell", () => {
  it("leaves plain text and numbers as they are, null empty", () => {
    expect(csvCell("user.login")).toBe("user.login");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(null)).toBe("");
    expect(csvCell("")).toBe("");
  });

  it("quotes cells with commas, quotes and line breaks, doubling quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
  });

  it("defuses formulas: text starting with = + - @ tab or CR gets a leading quote", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
    expect(csvCell("a=b")).toBe("a=b");
  });
});

describe("export lines", () => {
  it("has a header naming the API fields, and one CRLF-terminated line per event", () => {
    expect(csvHeader()).toBe(`${AUDIT_CSV_COLUMNS.join(",")}\r\n`);
    expect(csvLine(event)).toBe(
      "3,2025-03-04T05:06:07.089Z,0b9e3a52-6c1f-4a43-9d0e-3f3c1c2b8a11,ada@example.com,platform," +
        'user.suspended,success,user,,,::1,"{""note"":""said \\""hi\\"", then\\nleft""}"\r\n',
    );
  });

  it("writes JSON lines that parse back to the event", () => {
    const line = jsonLine(event);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual(event);
  });
});
