-- l1 mode without l1.segment.retain-local: segments whose publication (Kubo import, pins,
-- Redis, PostgreSQL) is confirmed and whose local file was then deleted. Their blocks live in
-- IPFS; the index keeps their rows (contents, blocks, roots) for lookups and statistics.
-- Written before the file is deleted, so a crash in between leaves a file the next repair removes.
CREATE TABLE remote_segments (
    segment_id INTEGER NOT NULL PRIMARY KEY REFERENCES segments (id)
);
