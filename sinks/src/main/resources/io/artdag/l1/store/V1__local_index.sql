-- Local index of an artdag L1 store. One row per committed segment, per stored block,
-- per unique content, per sighting of content and per rejected input.
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    file_size   INTEGER NOT NULL,
    block_count INTEGER NOT NULL,
    roots       TEXT    NOT NULL,            -- root CIDs, space separated
    committed_at TEXT   NOT NULL
);

-- Where each block lives: its multihash -> segment and the section's offset in the CAR
-- payload. The first segment to store a block wins; later copies are not indexed.
CREATE TABLE blocks (
    multihash      BLOB    PRIMARY KEY,
    segment_id     INTEGER NOT NULL REFERENCES segments(id),
    section_offset INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE contents (
    content_hash TEXT    PRIMARY KEY,        -- SHA3-256, lowercase hex
    root_cid     TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    profile      TEXT    NOT NULL,
    segment_id   INTEGER NOT NULL REFERENCES segments(id),
    node_id      TEXT,
    node_type    TEXT,
    first_path   TEXT    NOT NULL,
    metadata     TEXT,
    created_at   TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX contents_by_root ON contents(root_cid);

-- Every output that produced a content (the first and every duplicate).
CREATE TABLE sightings (
    content_hash TEXT NOT NULL,
    path         TEXT NOT NULL,
    node_id      TEXT,
    node_type    TEXT,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (content_hash, path)
) WITHOUT ROWID;

CREATE TABLE rejections (
    path        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    node_id     TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (path, reason)
) WITHOUT ROWID;
