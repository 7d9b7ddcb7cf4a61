-- An existing artdag database (seed 000's tables, with rows, no Flyway history) is baselined at
-- version 1 (ProvenanceStore.migrate: baselineOnMigrate, baselineVersion 1), so V1's plain
-- CREATE TABLE never runs there. This migration then creates only what is missing: artdag's
-- tables where artdag has not created them, and the L1 store's own (segments, rejected_inputs,
-- sightings). Existing tables and their rows are left untouched. On a database V1 created, every
-- statement is a no-op. Same definitions as V1.

-- content_hash -> root CID of content stored (imported and pinned) by L1.
CREATE TABLE IF NOT EXISTS cache_items (
    content_hash TEXT        NOT NULL PRIMARY KEY,  -- SHA3-256, lowercase hex
    ipfs_cid     TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cache_items_hash_hex CHECK (content_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX IF NOT EXISTS cache_items_by_cid ON cache_items (ipfs_cid);

-- Per-actor ownership / typing of a content (e.g. media, analysis, plan).
CREATE TABLE IF NOT EXISTS item_types (
    content_hash TEXT        NOT NULL,
    actor_id     TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    metadata     JSONB,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (content_hash, actor_id, type)
);

-- Deterministic run identity: run_id = SHA3-256(sorted_inputs + recipe).
CREATE TABLE IF NOT EXISTS run_cache (
    run_id         TEXT        NOT NULL PRIMARY KEY,
    output_hash    TEXT        NOT NULL,
    ipfs_cid       TEXT,
    provenance_cid TEXT,
    recipe         TEXT,
    inputs         JSONB,
    actor_id       TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS run_cache_by_output ON run_cache (output_hash);

-- Where content can be pinned (a local Kubo, Pinata, ...).
CREATE TABLE IF NOT EXISTS storage_backends (
    id            BIGSERIAL   PRIMARY KEY,
    actor_id      TEXT        NOT NULL,
    provider_type TEXT        NOT NULL,
    config        JSONB       NOT NULL DEFAULT '{}'::jsonb,
    capacity_gb   BIGINT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT storage_backends_natural_key UNIQUE (actor_id, provider_type, config)
);

-- What is pinned where.
CREATE TABLE IF NOT EXISTS storage_pins (
    content_hash TEXT        NOT NULL,
    storage_id   BIGINT      NOT NULL REFERENCES storage_backends (id),
    ipfs_cid     TEXT        NOT NULL,
    pin_type     TEXT        NOT NULL,              -- e.g. recursive
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (content_hash, storage_id)
);

-- CARv2 segments imported into Kubo with their roots pinned.
CREATE TABLE IF NOT EXISTS segments (
    name        TEXT        NOT NULL PRIMARY KEY,
    roots       TEXT[]      NOT NULL,
    file_size   BIGINT      NOT NULL CHECK (file_size >= 0),
    block_count BIGINT      NOT NULL CHECK (block_count >= 0),
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Inputs the job refused (invariant 5): one row per path and reason.
CREATE TABLE IF NOT EXISTS rejected_inputs (
    path        TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    node_id     TEXT,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (path, reason)
);

-- Every output that produced a content, the first and every duplicate.
CREATE TABLE IF NOT EXISTS sightings (
    content_hash TEXT        NOT NULL,
    path         TEXT        NOT NULL,
    node_id      TEXT,
    node_type    TEXT,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (content_hash, path)
);
