// Unit tests of the log demultiplexer: frames of both streams, text split across frames, bad input.
import { describe, expect, it } from "vitest";
import { demultiplexLogs, LogFormatError } from "./docker-logs.js";

function frame(stream: number, payload: string | Buffer): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe("demultiplexLogs", () => {
  it("separates stdout and stderr frames, keeping each stream's order", () => {
    const data = Buffer.concat([
      frame(1, "one\n"),
      frame(2, "oops\n"),
      frame(1, "two\n"),
      frame(2, "again\n"),
    ]);
    expect(demultiplexLogs(data)).toEqual({ stdout: "one\ntwo\n", stderr: "oops\nagain\n" });
  });

  it("joins a UTF-8 character split across two frames before decoding", () => {
    const snowman = Buffer.from("☃"); // 3 bytes
    const data = Buffer.concat([frame(1, snowman.subarray(0, 1)), frame(1, snowman.subarray(1))]);
    expect(demultiplexLogs(data).stdout).toBe("☃");
  });

  it("accepts empty logs and empty frames", () => {
    expect(demultiplexLogs(Buffer.alloc(0))).toEqual({ stdout: "", stderr: "" });
    expect(demultiplexLogs(frame(2, ""))).toEqual({ stdout: "", stderr: "" });
  });

  it("reads frames from a view into a larger buffer", () => {
    const whole = Buffer.concat([Buffer.from("junk"), frame(1, "inside"), Buffer.from("tail")]);
    const view = whole.subarray(4, whole.length - 4);
    expect(demultiplexLogs(view).stdout).toBe("inside");
  });

  it("refuses truncated frames and unknown streams", () => {
    expect(() => demultiplexLogs(frame(1, "hello").subarray(0, 10))).toThrow(LogFormatError);
    expect(() => demultiplexLogs(Buffer.from([1, 0, 0]))).toThrow(/truncated frame header/);
    expect(() => demultiplexLogs(Buffer.from("plain text from a TTY"))).toThrow(/unknown stream/);
  });
});
