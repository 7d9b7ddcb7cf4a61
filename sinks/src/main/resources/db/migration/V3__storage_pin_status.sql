-- Pins on more than one backend (IPFS Cluster, a Pinning Service API) are not all confirmed at
-- once: each storage_pins row now says where its pin stands, and the request id a remote
-- pinning service gave it, so pending pins are polled again (after restarts too). Rows written
-- before this migration were confirmed pins. Additive only: artdag's own rows keep their values.
ALTER TABLE storage_pins ADD COLUMN IF NOT EXISTS status TEXT NOT NULL DEFAULT 'pinned';
ALTER TABLE storage_pins ADD COLUMN IF NOT EXISTS request_id TEXT;
ALTER TABLE storage_pins ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS storage_pins_pending ON storage_pins (storage_id, status)
    WHERE status <> 'pinned';
