package io.artdag.l1.store;

import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The segment side of {@link StoreRepair}: checks each indexed segment's file on its own, drops
 * from the index those whose file is gone or bad (moved to {@code corrupt/}), adopts the sound
 * segment files the index does not know, and brings the kept segments' index entries in line with
 * their files.
 */
final class SegmentRepair {
    private final LocalStore store;
    private final RepairLog log;
    private final Map<String, Scan> kept = new LinkedHashMap<>();

    SegmentRepair(LocalStore store, RepairLog log) {
        this.store = store;
        this.log = log;
    }

    /** Checks every indexed segment; drops those whose file is gone or bad. */
    void checkIndexedSegments() throws IOException {
        List<StoreIndex.SegmentRow> rows = store.index().segments();
        Set<String> remote = store.index().remoteSegments();
        int n = 0;
        for (StoreIndex.SegmentRow row : rows) {
            log.progress("segment " + ++n + "/" + rows.size() + " " + row.name());
            Path file = store.segmentFile(row.name());
            if (remote.contains(row.name())) {
                // Published and kept in IPFS only; a file left by a crash before its deletion goes.
                if (Files.deleteIfExists(file)) {
                    log.note(file + ": published and kept in IPFS only; local copy deleted");
                }
                continue;
            }
            if (!Files.exists(file)) {
                drop(row.name(), file + ": file missing");
                continue;
            }
            Scan s = scan(file);
            if (s.problem != null) {
                Path moved = quarantine(row.name());
                drop(row.name(), file + ": " + s.problem + " (moved to " + moved + ")");
                continue;
            }
            kept.put(row.name(), s);
        }
    }

    private void drop(String segment, String why) throws StoreException {
        List<String> hashes = store.index().dropSegment(segment);
        log.segmentProblem(why + "; dropped from the index with " + hashes.size() + " contents");
        hashes.forEach(h -> log.dropped(h, "root block in segment " + segment));
    }

    /** Segment files the index does not know (all of them after a rebuild): indexed if sound. */
    void adoptUnknownSegments() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(store.segmentsDir(), "*" + LocalStore.CAR_SUFFIX)) {
            ds.forEach(files::add);
        }
        // Oldest first, so that a block several segments hold is indexed where it came first.
        files.sort(
                Comparator.comparingLong(SegmentRepair::mtime)
                        .thenComparing(p -> p.getFileName().toString()));
        for (Path file : files) {
            String f = file.getFileName().toString();
            String name = f.substring(0, f.length() - LocalStore.CAR_SUFFIX.length());
            if (kept.containsKey(name) || store.index().hasSegment(name)) {
                continue;
            }
            Scan s = scan(file);
            if (s.problem != null) {
                Path moved = quarantine(name);
                log.segmentProblem(
                        file + ": " + s.problem + " (not indexed; moved to " + moved + ")");
                continue;
            }
            store.index().commitSegment(name, s.size, s.roots, s.entries);
            log.adopted(name);
        }
    }

    /** Brings the index entries of each segment kept by the check in line with its file. */
    void reconcileKeptSegments() throws StoreException {
        for (Map.Entry<String, Scan> e : kept.entrySet()) {
            Scan s = e.getValue();
            log.reconciled(store.index().reconcileSegment(e.getKey(), s.size, s.roots, s.entries));
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private Path quarantine(String name) throws IOException {
        Path dir = store.root().resolve("corrupt");
        Files.createDirectories(dir);
        Path target = dir.resolve(name + LocalStore.CAR_SUFFIX);
        Files.move(store.segmentFile(name), target, StandardCopyOption.REPLACE_EXISTING);
        LocalStore.fsyncDirectory(store.segmentsDir());
        return target;
    }

    /** A segment file's header roots, embedded index, size, or what is wrong with it. */
    private record Scan(
            List<String> roots, List<StoreIndex.BlockEntry> entries, long size, String problem) {}

    /** The checks {@link StoreVerifier} makes of a segment, on the file alone. */
    static Scan scan(Path file) {
        try (CarV2Reader car = CarV2Reader.open(file)) {
            SegmentSections sections = new SegmentSections();
            SegmentSections.Bad first = sections.read(car, bad -> false);
            if (first != null) {
                return bad("block " + first.section().cid() + " " + first.problem().what);
            }
            List<StoreIndex.BlockEntry> entries = new ArrayList<>();
            for (var e : car.readIndex()) {
                if (!sections.holdsAt(e.mh().toBytes(), e.offset())) {
                    return bad("embedded index entry " + e.mh() + " does not match a section");
                }
                entries.add(new StoreIndex.BlockEntry(e.mh().toBytes(), e.offset()));
            }
            if (entries.size() != sections.blocks()) {
                return bad(
                        "embedded index has "
                                + entries.size()
                                + " entries for "
                                + sections.blocks()
                                + " blocks");
            }
            List<String> roots = new ArrayList<>();
            for (Cid r : car.roots()) {
                if (sections.lacksRoot(r)) {
                    return bad("root " + r + " has no block in the segment");
                }
                roots.add(r.toString());
            }
            return new Scan(roots, entries, Files.size(file), null);
        } catch (IOException | RuntimeException e) {
            return bad("unreadable: " + e.getMessage());
        }
    }

    private static Scan bad(String problem) {
        return new Scan(List.of(), List.of(), 0, problem);
    }
}
