-- Identity core: users, their browser sessions, and one-time sign-in links.
-- Secrets (session ids, link tokens) are stored only as SHA-256 hashes.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('pending', 'active', 'suspended')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_normalized CHECK (email = lower(btrim(email)) AND email LIKE '_%@_%')
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
  id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE magic_links (
  token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- 'operator': issued by the admin CLI / at first start and shown on the operator's console.
  purpose text NOT NULL CHECK (purpose IN ('login', 'operator')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX magic_links_user_id_idx ON magic_links (user_id);
CREATE INDEX magic_links_expires_at_idx ON magic_links (expires_at);
