-- l1 mode: segments committed locally whose publication (Kubo, Redis, PostgreSQL) has not been
-- confirmed yet. Written in the commit's transaction, deleted once the publisher has returned;
-- what a crash leaves here is published again before the next run (see LocalStore.commit).
CREATE TABLE unpublished (
    segment_id INTEGER NOT NULL PRIMARY KEY REFERENCES segments (id)
);
