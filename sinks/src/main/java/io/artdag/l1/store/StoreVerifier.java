package io.artdag.l1.store;

import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.annotation.Internal;

/**
 * Checks a whole store: every segment parses as CARv2, every block hashes to its CID, each
 * segment's embedded index and the store index agree with its sections, every content reads back to
 * its SHA3-256 and size, and no file lies around that the index does not account for.
 */
@Internal
public final class StoreVerifier {

    /** The outcome: counts, and one line per problem found (empty when consistent). */
    public record Report(
            long segments,
            long blocks,
            long contents,
            long bytesVerified,
            long sightingsElsewhere,
            List<String> problems,
            List<String> notes) {
        public boolean consistent() {
            return problems.isEmpty();
        }
    }

    private final LocalStore store;
    private final Consumer<String> progress;
    private final List<String> problems = new ArrayList<>();

    public StoreVerifier(LocalStore store, Consumer<String> progress) {
        this.store = store;
        this.progress = progress;
    }

    public Report verify() throws IOException {
        // Another process writing the store (it holds the store lock) leaves files in staging and
        // segment files it has not indexed yet: expected, not problems. The index is read in one
        // snapshot so that its commits meanwhile do not look like inconsistencies.
        String writer = otherWriter();
        store.index().beginReadSnapshot();
        try {
            return verify(writer);
        } finally {
            store.index().endReadSnapshot();
        }
    }

    private String otherWriter() {
        return StoreLock.holder(store.root())
                .filter(h -> !h.startsWith(ProcessHandle.current().pid() + " "))
                .orElse(null);
    }

    private Report verify(String writer) throws IOException {
        List<String> notes = new ArrayList<>();
        if (writer != null) {
            notes.add(
                    "pid "
                            + writer.split(" ")[0]
                            + " is writing the store: files it has not committed yet are not"
                            + " checked");
        }
        for (String p : store.index().integrityProblems()) {
            problem(store.index().file() + ": SQLite integrity check: " + p);
        }
        Map<String, StoreIndex.SegmentRow> rows = new HashMap<>();
        for (StoreIndex.SegmentRow row : store.index().segments()) {
            rows.put(row.name(), row);
        }
        Set<String> files = new HashSet<>();
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(store.segmentsDir(), "*" + LocalStore.CAR_SUFFIX)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                files.add(f.substring(0, f.length() - LocalStore.CAR_SUFFIX.length()));
            }
        }
        Set<String> remote = store.index().remoteSegments();
        if (!remote.isEmpty()) {
            notes.add(
                    remote.size()
                            + " segments are published to IPFS and not kept here"
                            + " (l1.segment.retain-local false): their blocks and contents are"
                            + " not verified by this command");
        }
        for (String f : files) {
            if (remote.contains(f)) {
                notes.add(
                        store.segmentFile(f)
                                + ": published and kept in IPFS only, but still here (an"
                                + " interrupted deletion; the next repair removes it)");
            }
            if (!rows.containsKey(f) && writer == null) {
                problem(store.segmentFile(f) + ": segment file not in the index (orphan)");
            }
        }
        for (Path p : writer != null ? List.<Path>of() : store.stagingFiles()) {
            problem(
                    p
                            + ": uncommitted file in staging (a job is running, or an unclean stop"
                            + " that the next `l1 ingest` repairs)");
        }
        long blocks = 0;
        int n = 0;
        for (StoreIndex.SegmentRow row : rows.values()) {
            n++;
            if (remote.contains(row.name())) {
                continue;
            }
            if (!files.contains(row.name())) {
                problem(store.segmentFile(row.name()) + ": in the index but the file is missing");
                continue;
            }
            progress.accept("segment " + n + "/" + rows.size() + " " + row.name());
            blocks += verifySegment(row);
        }
        long contents = 0;
        long bytes = 0;
        List<ContentRecord> all = new ArrayList<>();
        store.index().forEachContent(all::add);
        Map<String, Set<String>> rootsBySegment = new HashMap<>();
        rows.values().forEach(r -> rootsBySegment.put(r.name(), new HashSet<>(r.roots())));
        try (StoreReader reader = new StoreReader(store)) {
            for (ContentRecord c : all) {
                contents++;
                if (contents % 1000 == 0) {
                    progress.accept("content " + contents + "/" + all.size());
                }
                Set<String> roots = rootsBySegment.get(c.segment());
                if (roots == null || !roots.contains(c.rootCid())) {
                    problem(
                            c.contentHash()
                                    + ": root "
                                    + c.rootCid()
                                    + " is not listed in the"
                                    + " roots of segment "
                                    + c.segment());
                }
                try {
                    bytes += reader.readVerified(c, OutputStream.nullOutputStream());
                } catch (NotKeptLocallyException e) {
                    contents--; // in IPFS only, not verified here
                } catch (IOException e) {
                    problem(c.contentHash() + ": " + e.getMessage());
                }
            }
        }
        // In l1 mode a content may be stored by another job (claims decide which); this store
        // then holds only its sighting.
        Set<String> known = new HashSet<>();
        all.forEach(c -> known.add(c.contentHash()));
        long elsewhere = 0;
        for (Sighting s : store.index().sightings()) {
            if (!known.contains(s.contentHash())) {
                elsewhere++;
            }
        }
        return new Report(
                rows.size(),
                blocks,
                contents,
                bytes,
                elsewhere,
                List.copyOf(problems),
                List.copyOf(notes));
    }

    private long verifySegment(StoreIndex.SegmentRow row) {
        Path file = store.segmentFile(row.name());
        SegmentSections sections = new SegmentSections();
        try (CarV2Reader car = CarV2Reader.open(file)) {
            sections.read(
                    car,
                    bad -> {
                        problem(
                                file
                                        + ": block "
                                        + bad.section().cid()
                                        + (bad.problem() == SegmentSections.Problem.BAD_HASH
                                                ? " at offset " + bad.section().sectionOffset()
                                                : "")
                                        + " "
                                        + bad.problem().what);
                        return true;
                    });
            for (var e : car.readIndex()) {
                if (!sections.holdsAt(e.mh().toBytes(), e.offset())) {
                    problem(
                            file
                                    + ": embedded index entry "
                                    + e.mh()
                                    + " -> "
                                    + e.offset()
                                    + " does not match a section");
                }
            }
            if (car.readIndex().size() != sections.blocks()) {
                problem(
                        file
                                + ": embedded index has "
                                + car.readIndex().size()
                                + " entries for "
                                + sections.blocks()
                                + " blocks");
            }
            List<String> roots = new ArrayList<>();
            car.roots().forEach(r -> roots.add(r.toString()));
            if (!roots.equals(row.roots())) {
                problem(file + ": header roots " + roots + " differ from the index " + row.roots());
            }
            for (Cid r : car.roots()) {
                if (sections.lacksRoot(r)) {
                    problem(file + ": root " + r + " has no block in the segment");
                }
            }
            for (StoreIndex.BlockEntry b : store.index().blocksOf(row.name())) {
                if (!sections.holdsAt(b.multihash(), b.sectionOffset())) {
                    problem(
                            file
                                    + ": store index places a block at "
                                    + b.sectionOffset()
                                    + " where the segment has none");
                }
            }
        } catch (IOException | RuntimeException e) {
            problem(file + ": unreadable: " + e.getMessage());
        }
        return sections.sectionsRead();
    }

    private void problem(String p) {
        problems.add(p);
    }
}
