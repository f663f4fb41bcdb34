-- interviewbase schema, version 2: what GoTrue keeps beside users, sessions and refresh tokens.
-- Identities (one email identity per password user, rendered in the user JSON and deleted with
-- the user), the sealed copy of each rotated refresh token (so the lost-response case can hand
-- the active token back although only hashes are stored), and the indexes the auth paths use.

CREATE TABLE auth_identities (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  last_sign_in_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  UNIQUE (provider, provider_id)
);
CREATE INDEX auth_identities_user_id_idx ON auth_identities(user_id);

-- The token encrypted with a key derived from its parent token (libsodium secretbox): only a
-- client presenting the parent can read it back. NULL for the first token of a session.
ALTER TABLE auth_refresh_tokens ADD COLUMN sealed_by_parent TEXT;

-- Deleting a user cascades into refresh tokens by user_id; admin listing is newest first.
CREATE INDEX auth_refresh_tokens_user_id_idx ON auth_refresh_tokens(user_id);
CREATE INDEX auth_users_created_at_idx ON auth_users(created_at DESC);
