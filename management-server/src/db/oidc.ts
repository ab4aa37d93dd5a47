// The only code that touches oidc_providers, oidc_flows and user_identities. A flow is taken
// atomically (one DELETE ... RETURNING), so a state is used at most once, even by two requests at once.
import type { Queryable } from "@clawden/kit/db";

export interface OidcProvider {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecretSealed: Buffer | null;
  scopes: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface ProviderRow {
  id: string;
  name: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: Buffer | null;
  scopes: string;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const PROVIDER_COLUMNS =
  "id, name, issuer, client_id, client_secret_sealed, scopes, enabled, created_at, updated_at";

function toProvider(row: ProviderRow): OidcProvider {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretSealed: row.client_secret_sealed,
    scopes: row.scopes,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listOidcProviders(
  db: Queryable,
  options: { enabledOnly?: boolean } = {},
): Promise<OidcProvider[]> {
  const { rows } = await db.query<ProviderRow>(
    `SELECT ${PROVIDER_COLUMNS} FROM oidc_providers ${options.enabledOnly ? "WHERE enabled" : ""} ORDER BY name, id`,
  );
  return rows.map(toProvider);
}

export async function getOidcProvider(db: Queryable, id: string): Promise<OidcProvider | null> {
  const { rows } = await db.query<ProviderRow>(
    `SELECT ${PROVIDER_COLUMNS} FROM oidc_providers WHERE id = $1`,
    [id],
  );
  return rows[0] ? toProvider(rows[0]) : null;
}

export interface OidcProviderInput {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  /** A new sealed secret; null: none; `undefined` keeps the stored one (none for a new provider). */
  clientSecretSealed: Buffer | null | undefined;
  scopes: string;
  enabled: boolean;
}

/** Creates or updates a provider; says which, with the saved row. */
export async function upsertOidcProvider(
  db: Queryable,
  input: OidcProviderInput,
): Promise<{ provider: OidcProvider; created: boolean }> {
  const keepSecret = input.clientSecretSealed === undefined;
  const { rows } = await db.query<ProviderRow & { created: boolean }>(
    `INSERT INTO oidc_providers AS p (id, name, issuer, client_id, client_secret_sealed, scopes, enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET
       name = EXCLUDED.name,
       issuer = EXCLUDED.issuer,
       client_id = EXCLUDED.client_id,
       client_secret_sealed = CASE WHEN $8 THEN p.client_secret_sealed ELSE EXCLUDED.client_secret_sealed END,
       scopes = EXCLUDED.scopes,
       enabled = EXCLUDED.enabled,
       updated_at = clock_timestamp()
     RETURNING ${PROVIDER_COLUMNS}, (xmax = 0) AS created`,
    [
      input.id,
      input.name,
      input.issuer,
      input.clientId,
      input.clientSecretSealed ?? null,
      input.scopes,
      input.enabled,
      keepSecret,
    ],
  );
  const row = rows[0]!;
  return { provider: toProvider(row), created: row.created };
}

export async function deleteOidcProvider(db: Queryable, id: string): Promise<OidcProvider | null> {
  const { rows } = await db.query<ProviderRow>(
    `DELETE FROM oidc_providers WHERE id = $1 RETURNING ${PROVIDER_COLUMNS}`,
    [id],
  );
  return rows[0] ? toProvider(rows[0]) : null;
}

// ---------------------------------------------------------------------------------------------------
// Flows

export interface NewOidcFlow {
  stateHash: Buffer;
  providerId: string;
  browserHash: Buffer;
  nonce: string;
  codeVerifierSealed: Buffer;
  nextPath: string | null;
  ttlMs: number;
}

export async function insertOidcFlow(db: Queryable, flow: NewOidcFlow): Promise<void> {
  await db.query(
    `INSERT INTO oidc_flows (state_hash, provider_id, browser_hash, nonce, code_verifier_sealed, next_path, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7::double precision / 1000))`,
    [
      flow.stateHash,
      flow.providerId,
      flow.browserHash,
      flow.nonce,
      flow.codeVerifierSealed,
      flow.nextPath,
      flow.ttlMs,
    ],
  );
}

export interface TakenOidcFlow {
  providerId: string;
  browserHash: Buffer;
  nonce: string;
  codeVerifierSealed: Buffer;
  nextPath: string | null;
  live: boolean;
}

/** Removes the flow of `stateHash` and returns it (null: unknown or already used). */
export async function takeOidcFlow(db: Queryable, stateHash: Buffer): Promise<TakenOidcFlow | null> {
  const { rows } = await db.query<{
    provider_id: string;
    browser_hash: Buffer;
    nonce: string;
    code_verifier_sealed: Buffer;
    next_path: string | null;
    live: boolean;
  }>(
    `DELETE FROM oidc_flows WHERE state_hash = $1
     RETURNING provider_id, browser_hash, nonce, code_verifier_sealed, next_path, expires_at > now() AS live`,
    [stateHash],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    providerId: row.provider_id,
    browserHash: row.browser_hash,
    nonce: row.nonce,
    codeVerifierSealed: row.code_verifier_sealed,
    nextPath: row.next_path,
    live: row.live,
  };
}

export async function deleteExpiredOidcFlows(db: Queryable): Promise<number> {
  const { rowCount } = await db.query("DELETE FROM oidc_flows WHERE expires_at <= now()");
  return rowCount ?? 0;
}

// ---------------------------------------------------------------------------------------------------
// Linked identities

export interface LinkedIdentity {
  providerId: string;
  subject: string;
  userId: string;
  email: string;
}

export async function findLinkedIdentity(
  db: Queryable,
  providerId: string,
  subject: string,
): Promise<LinkedIdentity | null> {
  const { rows } = await db.query<{ user_id: string; email: string }>(
    "SELECT user_id, email FROM user_identities WHERE provider_id = $1 AND subject = $2",
    [providerId, subject],
  );
  const row = rows[0];
  return row ? { providerId, subject, userId: row.user_id, email: row.email } : null;
}

/** Whether `userId` is linked to some subject of the provider. */
export async function userLinkedAt(db: Queryable, providerId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT 1 FROM user_identities WHERE provider_id = $1 AND user_id = $2 LIMIT 1",
    [providerId, userId],
  );
  return rows.length > 0;
}

/** Links (provider, subject) to a user; false when that subject is already linked (to anyone). */
export async function insertLinkedIdentity(db: Queryable, link: LinkedIdentity): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO user_identities (provider_id, subject, user_id, email, last_used_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (provider_id, subject) DO NOTHING`,
    [link.providerId, link.subject, link.userId, link.email],
  );
  return rowCount === 1;
}

/** Notes a sign-in through the link (and the email the provider gave this time, when it gave one). */
export async function touchLinkedIdentity(
  db: Queryable,
  providerId: string,
  subject: string,
  email: string | null,
): Promise<void> {
  await db.query(
    `UPDATE user_identities SET last_used_at = now(), email = COALESCE($3, email)
     WHERE provider_id = $1 AND subject = $2`,
    [providerId, subject, email],
  );
}
