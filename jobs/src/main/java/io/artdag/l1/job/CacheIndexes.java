package io.artdag.l1.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import io.artdag.l1.store.StagedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An artdag cache's own indexes, {@code content_index.json} (content hash → node id) and {@code
 * ipfs_index.json} (content hash → CID), checked after a run against what the store computed from
 * the bytes: an entry that disagrees is recorded as a rejection naming both values (the bytes win,
 * the index is never trusted). On request they are written back with what the store holds
 * (temporary file beside each, fsync, atomic rename), as artdag's own L1 flow updates "Redis and
 * local".
 */
final class CacheIndexes {
    static final String CONTENT_INDEX = "content_index.json";
    static final String IPFS_INDEX = "ipfs_index.json";

    private static final JsonFactory JSON = new JsonFactory();

    private CacheIndexes() {}

    /** What a check found and did. */
    record Result(int entries, List<Rejection> disagreements, boolean updated) {}

    /**
     * Checks the indexes of the cache at {@code cache} against {@code store} (after a run over that
     * cache), and rewrites them when {@code update}.
     */
    static Result reconcile(Path cache, LocalStore store, boolean update) throws IOException {
        Path root = cache.toRealPath();
        String prefix = FilePaths.encode(root) + "/";
        // The outputs of this cache the store saw: node id → content hash.
        Map<String, String> nodeHash = new TreeMap<>();
        for (Sighting s : store.index().sightings()) {
            if (s.nodeId() != null && s.path().startsWith(prefix)) {
                nodeHash.putIfAbsent(s.nodeId(), s.contentHash());
            }
        }
        List<Rejection> disagreements = new ArrayList<>();
        int entries = 0;
        Map<String, String> contentIndex = read(root, CONTENT_INDEX, disagreements);
        Map<String, String> ipfsIndex = read(root, IPFS_INDEX, disagreements);
        for (Map.Entry<String, String> e : contentIndex.entrySet()) {
            entries++;
            String actual = nodeHash.get(e.getValue());
            if (actual != null && !actual.equalsIgnoreCase(e.getKey())) {
                disagreements.add(
                        new Rejection(
                                where(root, CONTENT_INDEX, e.getKey()),
                                "cache index disagrees: "
                                        + CONTENT_INDEX
                                        + " maps "
                                        + e.getKey()
                                        + " to node "
                                        + e.getValue()
                                        + ", whose output's SHA3-256 is "
                                        + actual,
                                e.getValue()));
            }
        }
        for (Map.Entry<String, String> e : ipfsIndex.entrySet()) {
            entries++;
            Optional<ContentRecord> c = store.index().content(e.getKey().toLowerCase());
            if (c.isPresent() && !c.get().rootCid().equals(e.getValue())) {
                disagreements.add(
                        new Rejection(
                                where(root, IPFS_INDEX, e.getKey()),
                                "cache index disagrees: "
                                        + IPFS_INDEX
                                        + " names CID "
                                        + e.getValue()
                                        + " for "
                                        + e.getKey()
                                        + ", the store computed "
                                        + c.get().rootCid()
                                        + " ("
                                        + c.get().profile()
                                        + ")",
                                null));
            }
        }
        if (update) {
            for (Map.Entry<String, String> e : nodeHash.entrySet()) {
                String hash = e.getValue();
                Optional<ContentRecord> c = store.index().content(hash);
                if (c.isEmpty()) {
                    continue; // stored elsewhere (l1 mode); its CID is in Redis, not here
                }
                // What the store holds wins over a disagreeing entry.
                String node = contentIndex.get(hash);
                if (node == null || !hash.equals(nodeHash.getOrDefault(node, hash))) {
                    contentIndex.put(hash, e.getKey());
                }
                ipfsIndex.put(hash, c.get().rootCid());
            }
            write(root.resolve(CONTENT_INDEX), contentIndex);
            write(root.resolve(IPFS_INDEX), ipfsIndex);
        }
        return new Result(entries, disagreements, update);
    }

    private static String where(Path root, String file, String key) {
        return FilePaths.encode(root.resolve(file)) + "#" + key;
    }

    /** A flat JSON object of strings; absent: empty; anything else: one rejection, empty. */
    private static Map<String, String> read(Path root, String name, List<Rejection> rejections)
            throws IOException {
        Map<String, String> out = new TreeMap<>();
        Path file = root.resolve(name);
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        Path real;
        try {
            real = FilePaths.confine(file, root);
        } catch (FilePaths.OutsideRootException e) {
            rejections.add(new Rejection(FilePaths.encode(file), e.getMessage(), null));
            return out;
        }
        try (JsonParser p = JSON.createParser(real.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw new IOException("the value of " + key + " is not a string");
                }
                out.put(key, p.getText());
            }
        } catch (IOException e) {
            rejections.add(
                    new Rejection(
                            FilePaths.encode(file),
                            "bad metadata: "
                                    + name
                                    + " is not a JSON object of strings: "
                                    + e.getMessage().lines().findFirst().orElse(""),
                            null));
            out.clear();
        }
        return out;
    }

    private static void write(Path file, Map<String, String> entries) throws IOException {
        try (StagedFile staged = StagedFile.beside(file, "." + file.getFileName() + ".l1-")) {
            try (OutputStream out = staged.open();
                    JsonGenerator g = JSON.createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                for (Map.Entry<String, String> e : entries.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            staged.commit();
        }
    }
}
