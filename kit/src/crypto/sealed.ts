// Authenticated encryption of small secrets at rest: AES-256-GCM with a fresh 96-bit nonce per value
// and associated data that names what the value belongs to (so a ciphertext copied to another row or
// another purpose fails to open). The sealed form carries the id of the key that sealed it, so keys
// can rotate: the newest key seals, every configured key opens.
//
// Layout (bytes): 0x01 (format version) | key id length (1) | key id (ASCII) | nonce (12) | ciphertext | tag (16)
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const FORMAT = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;

export interface SealingKey {
  id: string;
  key: Buffer;
}

export class SealError extends Error {
  override readonly name = "SealError";
}

export interface KeyRing {
  /** The key new values are sealed with. */
  current: SealingKey;
  /** Every key that may open a value, by id (includes current). */
  byId: Map<string, Buffer>;
}

export function keyRing(keys: SealingKey[]): KeyRing {
  if (keys.length === 0) throw new SealError("at least one key is required");
  const byId = new Map<string, Buffer>();
  for (const k of keys) {
    if (!KEY_ID.test(k.id))
      throw new SealError(`key id ${JSON.stringify(k.id)} must be 1-32 of A-Z a-z 0-9 . _ -`);
    if (k.key.length !== 32) throw new SealError(`key ${k.id} must be 32 bytes, not ${k.key.length}`);
    if (byId.has(k.id)) throw new SealError(`key id ${k.id} appears twice`);
    byId.set(k.id, k.key);
  }
  return { current: keys[0]!, byId };
}

/** Parses `id:base64,id2:base64` (newest first), as the keys are given in configuration. */
export function parseKeyList(text: string): SealingKey[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const colon = part.indexOf(":");
      if (colon <= 0) throw new SealError("each key must be written id:base64");
      return { id: part.slice(0, colon), key: Buffer.from(part.slice(colon + 1), "base64") };
    });
}

export function seal(ring: KeyRing, plaintext: Buffer | string, associatedData: string): Buffer {
  const { id, key } = ring.current;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const idBytes = Buffer.from(id, "ascii");
  return Buffer.concat([Buffer.from([FORMAT, idBytes.length]), idBytes, nonce, body, cipher.getAuthTag()]);
}

/** The id of the key a sealed value needs (to find values sealed under an old key). */
export function sealedKeyId(sealed: Buffer): string {
  if (sealed.length < 2 || sealed[0] !== FORMAT) throw new SealError("not a sealed value of a known format");
  const idLength = sealed[1]!;
  return sealed.subarray(2, 2 + idLength).toString("ascii");
}

export function open(ring: KeyRing, sealed: Buffer, associatedData: string): Buffer {
  const id = sealedKeyId(sealed);
  const key = ring.byId.get(id);
  if (!key) throw new SealError(`sealed with key ${id}, which is not configured`);
  const start = 2 + id.length;
  if (sealed.length < start + NONCE_BYTES + TAG_BYTES) throw new SealError("sealed value is truncated");
  const nonce = sealed.subarray(start, start + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(start + NONCE_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealError("sealed value does not open: wrong key, wrong associated data, or tampered");
  }
}
