package io.artdag.l1.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.operators.FileRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaOutputEventsTest {
    private static final String HASH =
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";

    private final KafkaOutputEvents events =
            new KafkaOutputEvents(List.of(Path.of("/srv/renders"), Path.of("/data/out/")));

    private FileRef parse(String json) {
        return events.parse(
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), "renders/1@42");
    }

    @Test
    void aCompleteEventNamesItsFileUnderItsRoot() {
        FileRef ref =
                parse(
                        "{\"node_id\":\"n1\",\"uri\":\"file:///srv/renders/run7/out.mkv\","
                                + "\"content_hash\":\""
                                + HASH.toUpperCase()
                                + "\",\"node_type\":\"render\",\"metadata\":{\"fps\":30},"
                                + "\"run_id\":\"r1\",\"recipe\":\"x\",\"inputs\":[\"a\"]}");
        assertThat(ref.error).isNull();
        assertThat(ref.path).isEqualTo("/srv/renders/run7/out.mkv");
        assertThat(ref.root).isEqualTo("/srv/renders");
        assertThat(ref.origin).isEqualTo("kafka");
        assertThat(ref.nodeId).isEqualTo("n1");
        assertThat(ref.nodeType).isEqualTo("render");
        assertThat(ref.declaredHash).isEqualTo(HASH);
        assertThat(ref.metadataJson).isEqualTo("{\"fps\":30}");
        assertThat(ref.position).isEqualTo("renders/1@42");
        assertThat(ref.run).isEqualTo("{\"run_id\":\"r1\",\"recipe\":\"x\",\"inputs\":[\"a\"]}");
    }

    @Test
    void anEventWithoutRunIdNamesNoRun() {
        FileRef ref = parse("{\"node_id\":\"n\",\"uri\":\"/data/out/a\",\"recipe\":\"x\"}");
        assertThat(ref.error).isNull();
        assertThat(ref.run).isNull();
        FileRef withActor =
                parse(
                        "{\"node_id\":\"n\",\"uri\":\"/data/out/a\",\"run_id\":\"r\","
                                + "\"actor_id\":\"alice\",\"inputs\":{\"video\":\"h\"}}");
        assertThat(withActor.run)
                .isEqualTo(
                        "{\"run_id\":\"r\",\"inputs\":{\"video\":\"h\"},\"actor_id\":\"alice\"}");
    }

    @Test
    void aPlainAbsolutePathAndLocalhostAreAccepted() {
        assertThat(parse("{\"node_id\":\"n\",\"uri\":\"/data/out/a\"}").path)
                .isEqualTo("/data/out/a");
        FileRef ref = parse("{\"node_id\":\"n\",\"uri\":\"file://localhost/data/out/b%20c\"}");
        assertThat(ref.error).isNull();
        assertThat(ref.path).isEqualTo("/data/out/b c");
        assertThat(ref.root).isEqualTo("/data/out");
    }

    @Test
    void badEventsAreRejectedWithTheirReason() {
        assertReject(null, "kafka:renders/1@42", "bad event: empty record");
        assertReject("", "kafka:renders/1@42", "bad event: empty record");
        assertReject("{\"node_id\":", "kafka:renders/1@42", "bad event: not valid JSON (");
        assertReject("[1,2]", "kafka:renders/1@42", "bad event: not a JSON object");
        assertReject("\"text\"", "kafka:renders/1@42", "bad event: not a JSON object");
        assertReject("{\"uri\":\"/srv/renders/a\"}", "kafka:renders/1@42", "bad event: no node_id");
        assertReject("{\"node_id\":\"n\"}", "kafka:renders/1@42", "bad event: no uri");
        assertReject(
                "{\"node_id\":7,\"uri\":\"/srv/renders/a\"}",
                "kafka:renders/1@42",
                "bad event: node_id must be a string");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":[\"/srv/renders/a\"]}",
                "kafka:renders/1@42",
                "bad event: uri must be a string");
        assertReject(
                "{\"node_id\":\"../n\",\"uri\":\"/srv/renders/a\"}",
                "kafka:renders/1@42",
                "bad metadata: unsafe node_id '../n'");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"s3://bucket/a\"}",
                "kafka:renders/1@42",
                "bad event: uri 's3://bucket/a': only file:// URIs are read (scheme 's3')");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"file://evil.example/srv/renders/a\"}",
                "kafka:renders/1@42",
                "bad event: uri 'file://evil.example/srv/renders/a' names another host");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"relative/a\"}",
                "kafka:renders/1@42",
                "bad event: uri 'relative/a': only file:// URIs are read (scheme missing)");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"/srv/renders/a\",\"content_hash\":\"abc\"}",
                "/srv/renders/a",
                "bad metadata: content_hash 'abc' is not a SHA3-256 hex digest");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"/srv/renders/a\",\"metadata\":[1]}",
                "/srv/renders/a",
                "bad metadata: metadata must be a JSON object");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"/srv/renders/a\",\"run_id\":5}",
                "/srv/renders/a",
                "bad event: run_id must be a string");
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"/srv/renders/a\",\"run_id\":\"r\",\"inputs\":3}",
                "/srv/renders/a",
                "bad event: inputs must be a JSON array or object");
    }

    @Test
    void filesOutsideTheAllowedRootsAreRejectedBeforeAnyRead() {
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"file:///etc/shadow\"}",
                "/etc/shadow",
                "outside the allowed roots (l1.kafka.allowed-roots): /etc/shadow");
        // Climbing out lexically is caught before the file system is asked.
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"/srv/renders/../../etc/shadow\"}",
                "/etc/shadow",
                "outside the allowed roots (l1.kafka.allowed-roots): /etc/shadow");
        // A sibling that shares the root's name as a prefix is not under it.
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"/srv/renders-other/a\"}",
                "/srv/renders-other/a",
                "outside the allowed roots (l1.kafka.allowed-roots): /srv/renders-other/a");
        // The root itself is not a file under it.
        assertReject(
                "{\"node_id\":\"n\",\"uri\":\"/srv/renders\"}",
                "/srv/renders",
                "outside the allowed roots (l1.kafka.allowed-roots): /srv/renders");
    }

    @Test
    void aRejectedEventKeepsASafeNodeIdAndItsPosition() {
        FileRef ref = parse("{\"node_id\":\"n9\",\"uri\":\"/etc/passwd\"}");
        assertThat(ref.nodeId).isEqualTo("n9");
        assertThat(ref.position).isEqualTo("renders/1@42");
        assertThat(parse("{\"node_id\":\"a/b\",\"uri\":\"/etc/passwd\"}").nodeId).isNull();
    }

    @Test
    void theAllowedRootsMustBeGivenAndAbsolute() {
        assertThatThrownBy(() -> new KafkaOutputEvents(List.of()))
                .hasMessageContaining("l1.kafka.allowed-roots must name at least one directory");
        assertThatThrownBy(() -> new KafkaOutputEvents(List.of(Path.of("rel"))))
                .hasMessage("l1.kafka.allowed-roots 'rel': not an absolute path");
    }

    @Test
    void topicsAreParsedFromKafkaUris() {
        assertThat(KafkaInputSource.topicOf("kafka://renders.v1_a-b")).isEqualTo("renders.v1_a-b");
        assertThat(KafkaInputSource.topicOf("/srv/renders")).isNull();
        assertThatThrownBy(() -> KafkaInputSource.topicOf("kafka://"))
                .hasMessageContaining("not a Kafka topic name");
        assertThatThrownBy(() -> KafkaInputSource.topicOf("kafka://a/b"))
                .hasMessageContaining("kafka://a/b: not a Kafka topic name");
    }

    private void assertReject(String json, String path, String reasonStart) {
        FileRef ref = parse(json);
        assertThat(ref.error).as(json).startsWith(reasonStart);
        assertThat(ref.path).as(json).isEqualTo(path);
        assertThat(ref.origin).isEqualTo("kafka");
        assertThat(ref.position).isEqualTo("renders/1@42");
    }
}
