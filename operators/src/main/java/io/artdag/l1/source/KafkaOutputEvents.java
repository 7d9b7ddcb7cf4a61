package io.artdag.l1.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Turns one renderer output event (a JSON object on a Kafka topic, see README "Streaming from
 * renderers over Kafka") into a {@link FileRef}. The event names the output's file, never carries
 * its bytes; a file is accepted only under one of the allowed roots, which then becomes the
 * reference's root so that the hasher checks the real path (symbolic links followed) again.
 *
 * <p>Every event yields a reference: one that cannot be used is a rejected reference whose reason
 * names what is wrong, and every reason ends with the event's position ({@code topic/partition@
 * offset}).
 */
@Internal
public final class KafkaOutputEvents {
    /** {@link FileRef#origin} of references from Kafka events. */
    public static final String ORIGIN = "kafka";

    /** Reason prefix of a file outside every allowed root. */
    public static final String OUTSIDE_ALLOWED = "outside the allowed roots";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Path> allowedRoots;

    /**
     * @param allowedRoots absolute directories; an event's file must lie under one of them
     */
    public KafkaOutputEvents(List<Path> allowedRoots) {
        if (allowedRoots.isEmpty()) {
            throw new IllegalArgumentException(
                    KafkaInputOptions.ALLOWED_ROOTS.key()
                            + " must name at least one directory that events may point into");
        }
        for (Path r : allowedRoots) {
            if (!r.isAbsolute()) {
                throw new IllegalArgumentException(
                        KafkaInputOptions.ALLOWED_ROOTS.key()
                                + " '"
                                + r
                                + "': not an absolute path");
            }
        }
        this.allowedRoots = allowedRoots.stream().map(Path::normalize).toList();
    }

    /** Where an event sits in its topic, as rejection reasons and paths show it. */
    public static String position(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    /**
     * Parses one event.
     *
     * @param value the record's value (may be null)
     * @param position {@link #position} of the record
     */
    public FileRef parse(byte[] value, String position) {
        String where = "kafka:" + position;
        String nodeId = null;
        try {
            if (value == null || value.length == 0) {
                throw new Rejected("bad event: empty record");
            }
            JsonNode event;
            try {
                event = JSON.readTree(value);
            } catch (JsonProcessingException e) {
                throw new Rejected("bad event: not valid JSON (" + firstLine(e) + ")");
            } catch (java.io.IOException e) {
                throw new Rejected("bad event: unreadable (" + e.getMessage() + ")");
            }
            if (event == null || !event.isObject()) {
                throw new Rejected("bad event: not a JSON object");
            }
            String id = text(event, "node_id");
            if (id == null) {
                throw new Rejected("bad event: no node_id");
            }
            if (!InputNames.safeSegment(id)) {
                throw new Rejected("bad metadata: unsafe node_id '" + InputNames.display(id) + "'");
            }
            nodeId = id;
            String uri = text(event, "uri");
            if (uri == null) {
                throw new Rejected("bad event: no uri");
            }
            Path file = localPath(uri);
            where = FilePaths.encode(file);
            Path root = allowedRoot(file);
            String declared = text(event, "content_hash");
            if (declared != null && !declared.matches("[0-9a-fA-F]{64}")) {
                throw new Rejected(
                        "bad metadata: content_hash '"
                                + InputNames.display(declared)
                                + "' is not a SHA3-256 hex digest");
            }
            String nodeType = text(event, "node_type");
            JsonNode metadata = event.get("metadata");
            if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
                throw new Rejected("bad metadata: metadata must be a JSON object");
            }
            String run;
            try {
                run = RunFields.of(event);
            } catch (IllegalArgumentException e) {
                throw new Rejected("bad event: " + e.getMessage());
            }
            FileRef ref = FileRef.of(where, ORIGIN);
            ref.root = FilePaths.encode(root);
            ref.nodeId = nodeId;
            ref.nodeType = nodeType;
            ref.declaredHash = declared == null ? null : declared.toLowerCase();
            ref.metadataJson = metadata == null || metadata.isNull() ? null : metadata.toString();
            ref.position = position;
            ref.run = run;
            return ref;
        } catch (Rejected e) {
            FileRef ref = FileRef.rejected(where, ORIGIN, nodeId, e.getMessage());
            ref.position = position;
            return ref;
        }
    }

    private Path localPath(String uri) throws Rejected {
        Path p;
        if (uri.startsWith("/")) {
            p = Path.of(uri);
        } else {
            URI u;
            try {
                u = new URI(uri);
            } catch (URISyntaxException e) {
                throw new Rejected("bad event: uri '" + InputNames.display(uri) + "' is not a URI");
            }
            if (u.getScheme() == null || !u.getScheme().equals("file")) {
                throw new Rejected(
                        "bad event: uri '"
                                + InputNames.display(uri)
                                + "': only file:// URIs are read (scheme "
                                + (u.getScheme() == null ? "missing" : "'" + u.getScheme() + "'")
                                + ")");
            }
            if (u.getAuthority() != null && !u.getAuthority().equals("localhost")) {
                throw new Rejected(
                        "bad event: uri '" + InputNames.display(uri) + "' names another host");
            }
            if (u.getPath() == null || !u.getPath().startsWith("/")) {
                throw new Rejected(
                        "bad event: uri '" + InputNames.display(uri) + "' has no absolute path");
            }
            p = Path.of(u.getPath());
        }
        if (p.toString().indexOf('\0') >= 0) {
            throw new Rejected("bad event: uri contains NUL");
        }
        return p.normalize();
    }

    private Path allowedRoot(Path file) throws Rejected {
        for (Path r : allowedRoots) {
            if (file.startsWith(r) && !file.equals(r)) {
                return r;
            }
        }
        throw new Rejected(
                OUTSIDE_ALLOWED
                        + " ("
                        + KafkaInputOptions.ALLOWED_ROOTS.key()
                        + "): "
                        + FilePaths.encode(file));
    }

    private static String text(JsonNode event, String field) throws Rejected {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Rejected("bad event: " + field + " must be a string");
        }
        return v.textValue();
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }
}
