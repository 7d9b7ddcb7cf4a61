-- The store's writes are idempotent (INSERT ... ON CONFLICT): replayed after a failover they
-- write each row once. That needs a unique key on each table's natural key. Tables this
-- project created (V1/V2) have them; artdag's own tables may not (seed 000 lists their columns,
-- not their keys), and then a replay would duplicate rows, and storage_pins' upsert would fail.
-- Here a unique index is added where no unique index on exactly those columns exists. Rows are
-- not changed: if artdag's table already holds duplicates of a key, creating the index fails
-- and the migration stops with PostgreSQL's message naming the duplicated key.
DO $$
DECLARE
    k RECORD;
BEGIN
    FOR k IN
        SELECT *
        FROM (VALUES
            ('cache_items', ARRAY['content_hash']),
            ('item_types', ARRAY['content_hash', 'actor_id', 'type']),
            ('run_cache', ARRAY['run_id']),
            ('storage_backends', ARRAY['actor_id', 'provider_type', 'config']),
            ('storage_pins', ARRAY['content_hash', 'storage_id'])) AS t(tbl, cols)
    LOOP
        IF NOT EXISTS (
            SELECT 1
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            WHERE c.relname = k.tbl
              AND c.relnamespace = current_schema()::regnamespace
              AND i.indisunique
              AND i.indpred IS NULL
              AND i.indexprs IS NULL
              AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text)
                   FROM pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey))
                  = (SELECT array_agg(x ORDER BY x) FROM unnest(k.cols) AS x)
        ) THEN
            EXECUTE format('CREATE UNIQUE INDEX %I ON %I (%s)',
                           'l1_' || k.tbl || '_key', k.tbl,
                           (SELECT string_agg(quote_ident(x), ', ') FROM unnest(k.cols) AS x));
        END IF;
    END LOOP;
END
$$;
