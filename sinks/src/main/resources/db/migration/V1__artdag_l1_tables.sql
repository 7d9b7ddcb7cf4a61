-- artdag's L1 tables (seed 000: cache_items, item_types, run_cache, storage_backends,
-- storage_pins) and the L1 store's own (segments, sightings, rejected_inputs).
-- Unqualified names: Flyway runs this with search_path set to the configured schema.
--
-- Every table has a natural key so writes are idempotent (INSERT ... ON CONFLICT DO NOTHING):
-- a commit or a provenance record replayed after a restore leaves one row. There are no foreign
-- keys from provenance tables to cache_items on purpose: provenance rows (item_types, run_cache,
-- sightings) may be written by a different sink than the one that records cache_items, and
-- either may land first.

-- content_hash -> root CID of content stored (imported and pinned) by L1.
CREATE TABLE cache_items (
    content_hash TEXT        NOT NULL PRIMARY KEY,  -- SHA3-256, lowercase hex
    ipfs_cid     TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cache_items_hash_hex CHECK (content_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX cache_items_by_cid ON cache_items (ipfs_cid);

-- Per-actor ownership / typing of a content (e.g. media, analysis, plan).
CREATE TABLE item_types (
    content_hash TEXT        NOT NULL,
    actor_id     TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    metadata     JSONB,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (content_hash, actor_id, type)
);

-- Deterministic run identity: run_id = SHA3-256(sorted_inputs + recipe).
CREATE TABLE run_cache (
    run_id         TEXT        NOT NULL PRIMARY KEY,
    output_hash    TEXT        NOT NULL,
    ipfs_cid       TEXT,
    provenance_cid TEXT,
    recipe         TEXT,
    inputs         JSONB,
    actor_id       TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX run_cache_by_output ON run_cache (output_hash);

-- Where content can be pinned (a local Kubo, Pinata, ...).
CREATE TABLE storage_backends (
    id            BIGSERIAL   PRIMARY KEY,
    actor_id      TEXT        NOT NULL,
    provider_type TEXT        NOT NULL,
    config        JSONB       NOT NULL DEFAULT '{}'::jsonb,
    capacity_gb   BIGINT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT storage_backends_natural_key UNIQUE (actor_id, provider_type, config)
);

-- What is pinned where.
CREATE TABLE storage_pins (
    content_hash TEXT        NOT NULL,
    storage_id   BIGINT      NOT NULL REFERENCES storage_backends (id),
    ipfs_cid     TEXT        NOT NULL,
    pin_type     TEXT        NOT NULL,              -- e.g. recursive
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (content_hash, storage_id)
);

-- CARv2 segments imported into Kubo with their roots pinned.
CREATE TABLE segments (
    name        TEXT        NOT NULL PRIMARY KEY,
    roots       TEXT[]      NOT NULL,
    file_size   BIGINT      NOT NULL CHECK (file_size >= 0),
    block_count BIGINT      NOT NULL CHECK (block_count >= 0),
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Inputs the job refused (invariant 5): one row per path and reason.
CREATE TABLE rejected_inputs (
    path        TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    node_id     TEXT,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (path, reason)
);

-- Every output that produced a content, the first and every duplicate.
CREATE TABLE sightings (
    content_hash TEXT        NOT NULL,
    path         TEXT        NOT NULL,
    node_id      TEXT,
    node_type    TEXT,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (content_hash, path)
);
