-- interviewbase schema, version 3: Supabase Storage (/storage/v1) in the same database file, so
-- one file is the whole backup. Buckets and objects keep the column names of
-- Supabase's storage.buckets / storage.objects; an object's bytes live in fixed-size chunks.
-- Access rules are not here: they are rows of storage/guards/policies.cpp (docs/guards.md).

CREATE TABLE storage_buckets (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE,
  owner UUID,
  public BOOLEAN NOT NULL DEFAULT 0,
  file_size_limit INTEGER,            -- bytes; NULL = the server's global limit
  allowed_mime_types TEXT[],          -- JSON array; NULL = any type
  created_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT (now())
);

-- `owner` is the uploader's `sub` when that user exists (NULL for service uploads); deleting
-- the auth user deletes their objects, and with them (below) their bytes.
CREATE TABLE storage_objects (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  bucket_id TEXT NOT NULL REFERENCES storage_buckets(id),
  name TEXT NOT NULL,
  owner UUID REFERENCES auth_users(id) ON DELETE CASCADE,
  size INTEGER NOT NULL,
  mimetype TEXT NOT NULL,
  cache_control TEXT NOT NULL,
  etag TEXT NOT NULL,                 -- quoted md5 hex of the bytes, as S3 and Supabase send it
  user_metadata JSONB,
  created_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  last_accessed_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  UNIQUE (bucket_id, name)
);
CREATE INDEX storage_objects_owner_idx ON storage_objects(owner);

-- One stored byte sequence. An upload writes its chunks here with object_id NULL, in short
-- transactions, and one final transaction attaches the content to its object, so a half-sent
-- upload is never visible; unattached contents are deleted when the upload fails and at start.
-- AUTOINCREMENT: ids are never reused, so a download streaming chunk by chunk notices (and
-- stops) when the object was overwritten underneath it instead of mixing two versions.
CREATE TABLE storage_contents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  object_id UUID UNIQUE REFERENCES storage_objects(id) ON DELETE CASCADE,
  size INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT (now())
);

CREATE TABLE storage_object_chunks (
  content_id INTEGER NOT NULL REFERENCES storage_contents(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (content_id, idx)
);

-- The private bucket the interview app records answers into, there from the first start.
INSERT INTO storage_buckets (id, name, public) VALUES ('interview-audio', 'interview-audio', 0);
