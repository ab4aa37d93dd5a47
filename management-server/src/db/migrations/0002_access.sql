-- Identity and access: sign-up policy, browser-bound sign-in links, rate limits, TOTP MFA and
-- recovery codes, second-factor challenges, session metadata, platform API keys, single sign-on, and
-- the hash-chained audit log. Secrets are stored hashed (tokens: SHA-256; recovery codes: Argon2id)
-- or sealed with the server's key ring (TOTP seeds, OIDC client secrets).

-- Platform settings, one JSON document per key (e.g. 'sign_up').
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL
);

ALTER TABLE users
  ADD COLUMN approved_at timestamptz,
  ADD COLUMN suspended_at timestamptz,
  -- Consecutive wrong second-factor codes, and the lockout they earned (reset on success).
  ADD COLUMN mfa_failures integer NOT NULL DEFAULT 0 CHECK (mfa_failures >= 0),
  ADD COLUMN mfa_locked_until timestamptz,
  -- Whether the user's container still has to be stopped after a suspension (retried until done).
  ADD COLUMN agent_stop_pending boolean NOT NULL DEFAULT false;

-- Sign-in links are for an email (the account may not exist yet: open sign-up creates it on use),
-- bound to the browser that asked (SHA-256 of a cookie set then), and for sign-in or re-authentication.
ALTER TABLE magic_links
  ALTER COLUMN user_id DROP NOT NULL,
  ADD COLUMN email text,
  ADD COLUMN browser_hash bytea CHECK (browser_hash IS NULL OR octet_length(browser_hash) = 32),
  ADD COLUMN next_path text;
ALTER TABLE magic_links DROP CONSTRAINT magic_links_purpose_check;
ALTER TABLE magic_links ADD CONSTRAINT magic_links_purpose_check
  CHECK (purpose IN ('login', 'operator', 'reauth'));
ALTER TABLE magic_links ADD CONSTRAINT magic_links_target CHECK (user_id IS NOT NULL OR email IS NOT NULL);

-- Fixed-window counters for rate limits (per email, per IP...), keyed by a hash of the subject.
CREATE TABLE rate_limits (
  bucket text NOT NULL,
  key_hash bytea NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (bucket, key_hash, window_start)
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);

-- TOTP (RFC 6238). The seed is sealed; last_step is the last time step accepted, never accepted again.
CREATE TABLE mfa_totp (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_sealed bytea NOT NULL,
  confirmed_at timestamptz,
  last_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- A first factor passed, the second not yet: no session exists. Held by the browser in a cookie.
CREATE TABLE login_challenges (
  id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- 'verify': enter a code; 'enrol': MFA is required and the user has none yet.
  kind text NOT NULL CHECK (kind IN ('verify', 'enrol')),
  method text NOT NULL,
  next_path text,
  failures integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX login_challenges_user_idx ON login_challenges (user_id);

-- Sessions get a public id (to list and revoke them without revealing the cookie's hash), and the
-- time of the last full authentication (sign-in or re-authentication) for sensitive actions.
ALTER TABLE sessions
  ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN authenticated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN method text NOT NULL DEFAULT 'link';
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (id);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- The first characters after ocpk_, to recognise a key in lists; the key itself is only hashed.
  prefix text NOT NULL,
  key_hash bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id);

-- OpenID Connect providers configured by an administrator.
CREATE TABLE oidc_providers (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  name text NOT NULL,
  issuer text NOT NULL,
  client_id text NOT NULL,
  client_secret_sealed bytea,
  scopes text NOT NULL DEFAULT 'openid email profile',
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- An authorization request on its way: state, nonce and PKCE verifier, bound to the browser.
CREATE TABLE oidc_flows (
  state_hash bytea PRIMARY KEY CHECK (octet_length(state_hash) = 32),
  provider_id text NOT NULL REFERENCES oidc_providers (id) ON DELETE CASCADE,
  browser_hash bytea NOT NULL,
  nonce text NOT NULL,
  code_verifier_sealed bytea NOT NULL,
  next_path text,
  expires_at timestamptz NOT NULL
);

-- Accounts linked to a provider's subject.
CREATE TABLE user_identities (
  provider_id text NOT NULL REFERENCES oidc_providers (id) ON DELETE CASCADE,
  subject text NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  PRIMARY KEY (provider_id, subject)
);
CREATE INDEX user_identities_user_idx ON user_identities (user_id);

-- The audit log. Append-only by convention and verifiable: each row's hash covers its content and the
-- previous row's hash, so changing, removing or reordering a row breaks the chain from there on.
CREATE TABLE audit_events (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid,
  actor_tenant text,
  action text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  target_type text,
  target_id text,
  target_tenant text,
  ip text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL
);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
CREATE INDEX audit_events_action_idx ON audit_events (action, seq);
