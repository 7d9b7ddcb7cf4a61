package io.artdag.l1.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.FileRef;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads an artdag cache's {@code index.json} as a stream of entries, one {@link FileRef} per entry,
 * without loading the whole index. A malformed index yields the entries before the damage and then
 * one rejected reference that says where it broke.
 */
public class ArtdagIndexFormat extends FileRefFormat {
    private static final long serialVersionUID = 1L;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected Iterator<FileRef> refs(Path indexFile) throws IOException {
        return new Entries(indexFile.toAbsolutePath().normalize());
    }

    private static final class Entries implements Iterator<FileRef>, Closeable {
        private final Path index;
        private final Path root;
        private final JsonParser parser;
        private FileRef next;
        private boolean done;

        Entries(Path index) throws IOException {
            this.index = index;
            this.root = index.getParent();
            this.parser = JSON.createParser(index.toFile());
            try {
                if (!seekEntries()) {
                    next =
                            FileRef.rejected(
                                    index.toString(),
                                    "cache",
                                    null,
                                    "bad metadata: index.json has no \"entries\" object");
                    done = true;
                }
            } catch (IOException e) {
                next = broken(e);
                done = true;
            }
        }

        private boolean seekEntries() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("entries".equals(name) && value == JsonToken.START_OBJECT) {
                    return true;
                }
                parser.skipChildren();
            }
            return false;
        }

        private FileRef broken(IOException e) {
            return FileRef.rejected(
                    index.toString(),
                    "cache",
                    null,
                    "bad metadata: index.json is not valid JSON: "
                            + SpoolNodeFormat.firstLine(e.getMessage()));
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                if (parser.nextToken() != JsonToken.FIELD_NAME) {
                    done = true;
                    return false;
                }
                String key = parser.currentName();
                parser.nextToken();
                JsonNode entry = parser.readValueAsTree();
                String where = index + "#entries/" + key;
                next = ArtdagEntries.toFileRef(entry, root.resolve(key), key, where, "cache");
            } catch (IOException e) {
                next = broken(e);
                done = true;
            }
            return true;
        }

        @Override
        public FileRef next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            FileRef r = next;
            next = null;
            return r;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
