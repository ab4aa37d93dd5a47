// What callers may see of our records: explicit, never raw rows.
import type { ApiKeyRecord } from "../db/api-keys.js";
import type { SessionListing } from "../db/sessions.js";
import { describeDevice } from "../domain/device.js";
import type { User } from "../db/users.js";

export interface PublicUser {
  id: string;
  email: string;
  role: User["role"];
  state: User["state"];
  createdAt: string;
}

export function publicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    state: user.state,
    createdAt: user.createdAt.toISOString(),
  };
}

export function publicApiKey(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

/** A session as its owner or an administrator sees it: never the id hash behind the cookie. */
export function publicSession(session: SessionListing) {
  return {
    id: session.id,
    device: describeDevice(session.userAgent),
    ip: session.ip,
    method: session.method,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
  };
}
