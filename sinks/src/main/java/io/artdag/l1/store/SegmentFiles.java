package io.artdag.l1.store;

import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Varint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads blocks out of committed segments by section offset, keeping a few segment files open.
 * Callers verify what they read against the CID.
 */
final class SegmentFiles implements AutoCloseable {
    private static final int MAX_OPEN = 16;
    private static final int SECTION_HEAD = 128;

    private record Open(FileChannel channel, long dataOffset) {}

    private final LocalStore store;
    private final Map<String, Open> open =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Open> eldest) {
                    if (size() > MAX_OPEN) {
                        closeQuietly(eldest.getValue().channel());
                        return true;
                    }
                    return false;
                }
            };

    SegmentFiles(LocalStore store) {
        this.store = store;
    }

    /** A block read from a segment section, with the CID the section names. */
    record Section(Cid cid, byte[] data) {}

    /** Reads the section at {@code sectionOffset} (relative to the CAR payload) of a segment. */
    Section read(String segment, long sectionOffset) throws IOException {
        Open o = open.get(segment);
        if (o == null) {
            Path file = store.segmentFile(segment);
            long dataOffset;
            try (CarV2Reader car = CarV2Reader.open(file)) {
                dataOffset = car.dataOffset();
            }
            o = new Open(FileChannel.open(file, StandardOpenOption.READ), dataOffset);
            open.put(segment, o);
        }
        long at = o.dataOffset() + sectionOffset;
        ByteBuffer head = ByteBuffer.allocate(SECTION_HEAD);
        readFully(o.channel(), head, at, segment);
        head.flip();
        try {
            long sectionLength = Varint.read(head);
            int varintLength = head.position();
            Cid cid = Cid.read(head);
            int cidLength = head.position() - varintLength;
            long dataLength = sectionLength - cidLength;
            if (dataLength < 0 || dataLength > Integer.MAX_VALUE - 16) {
                throw new StoreException(
                        store.segmentFile(segment) + ": bad section length at offset " + at);
            }
            ByteBuffer data = ByteBuffer.allocate((int) dataLength);
            readFully(o.channel(), data, at + varintLength + cidLength, segment);
            if (data.hasRemaining()) {
                throw new StoreException(
                        store.segmentFile(segment) + ": truncated section at offset " + at);
            }
            return new Section(cid, data.array());
        } catch (IllegalArgumentException e) {
            throw new StoreException(
                    store.segmentFile(segment)
                            + ": unreadable section at offset "
                            + at
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at, String segment)
            throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only channel
        }
    }

    @Override
    public void close() {
        open.values().forEach(o -> closeQuietly(o.channel()));
        open.clear();
    }
}
