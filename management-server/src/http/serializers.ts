// What callers may see of our records: explicit, never raw rows.
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
