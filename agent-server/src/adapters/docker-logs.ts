// Docker's multiplexed log format, decoded. A container created without a TTY has its stdout and
// stderr sent as frames: an 8-byte header (byte 0 = stream: 0 stdin, 1 stdout, 2 stderr; bytes 4-7 =
// payload length, big-endian) followed by the payload. Frames split text anywhere, even inside a UTF-8
// character, so each stream's bytes are joined before they are decoded.

export interface ContainerLogs {
  stdout: string;
  stderr: string;
}

const HEADER_BYTES = 8;

export class LogFormatError extends Error {
  override readonly name = "LogFormatError";
}

/** Splits a complete multiplexed log buffer into its stdout and stderr text. */
export function demultiplexLogs(data: Uint8Array): ContainerLogs {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < HEADER_BYTES) {
      throw new LogFormatError(`truncated frame header at byte ${offset}`);
    }
    const stream = buffer[offset];
    if (stream !== 0 && stream !== 1 && stream !== 2) {
      throw new LogFormatError(`unknown stream ${stream} at byte ${offset} (was the container given a TTY?)`);
    }
    const length = buffer.readUInt32BE(offset + 4);
    const start = offset + HEADER_BYTES;
    const end = start + length;
    if (end > buffer.length) {
      throw new LogFormatError(
        `frame at byte ${offset} claims ${length} bytes; ${buffer.length - start} remain`,
      );
    }
    (stream === 2 ? stderr : stdout).push(buffer.subarray(start, end));
    offset = end;
  }
  return { stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") };
}
