-- agent-server's own schema (agent_server): the desired and last known state of every user's agent,
-- its state changes, and every action asked of it with the acting principal.

CREATE TABLE agents (
  user_id uuid PRIMARY KEY,
  desired_state text NOT NULL CHECK (desired_state IN ('running', 'stopped', 'deleted')),
  state text NOT NULL CHECK (state IN ('creating', 'starting', 'running', 'stopping', 'stopped', 'failed', 'deleted')),
  state_reason text NOT NULL DEFAULT '',
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  -- Bumped at every container (re)creation; the gateway token is new each time.
  generation integer NOT NULL DEFAULT 0,
  image text,
  container_id text,
  memory_bytes bigint NOT NULL CHECK (memory_bytes > 0),
  nano_cpus bigint NOT NULL CHECK (nano_cpus > 0),
  pids_limit integer NOT NULL CHECK (pids_limit > 0),
  -- AES-256-GCM sealed (kit/src/crypto), associated data "gateway-token:<user_id>:<generation>".
  gateway_token bytea,
  -- When deleted: whether the user's volume was kept.
  keep_data boolean NOT NULL DEFAULT true,
  failures integer NOT NULL DEFAULT 0,
  retry_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_state_idx ON agents (state);

CREATE TABLE agent_events (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL,
  reason text NOT NULL,
  actor text NOT NULL
);
CREATE INDEX agent_events_user_idx ON agent_events (user_id, id);

CREATE TABLE agent_actions (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  user_id uuid NOT NULL,
  action text NOT NULL,
  outcome text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id text
);
CREATE INDEX agent_actions_user_idx ON agent_actions (user_id, id);
