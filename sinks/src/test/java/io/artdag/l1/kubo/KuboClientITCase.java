package io.artdag.l1.kubo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.artdag.l1.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integration test against a real Kubo daemon, found through {@code L1_KUBO_API}. Start one with
 * {@code eval "$(deploy/local/services.sh start)"}. Without the variable the test fails; it is
 * never skipped.
 */
class KuboClientITCase {
    private static KuboClient kubo;

    @BeforeAll
    static void connect() {
        String api = TestServices.get("L1_KUBO_API");
        if (api == null || api.isBlank()) {
            fail(
                    "L1_KUBO_API is not set: start Kubo with"
                            + " `eval \"$(deploy/local/services.sh start)\"` (or ./bin/test) and"
                            + " run the tests again");
        }
        kubo = new KuboClient(KuboClientOptions.builder().apiUrl(api).build());
    }

    @Test
    void versionAndId() throws Exception {
        KuboVersion v = KuboTestOps.version(kubo);
        assertThat(v.version()).isEqualTo("0.41.0");
        KuboIdentity id = kubo.id();
        assertThat(id.id()).isNotBlank();
        assertThat(id.agentVersion()).startsWith("kubo/0.41.0");
    }

    @Test
    void importPinStatCatExport(@TempDir Path dir) throws Exception {
        byte[] data = randomData("import");
        byte[] cid = rawCid(data);
        String cidStr = cidString(cid);
        Path car = writeCar(dir.resolve("one.car"), cid, cid, data);

        assertThat(kubo.isPinned(cidStr)).isFalse();

        DagImportResult r = KuboTestOps.dagImport(kubo, car);
        assertThat(r.roots()).containsExactly(new DagImportResult.Root(cidStr, ""));
        assertThat(r.stats()).contains(new DagImportResult.Stats(1, data.length));

        assertThat(kubo.isPinned(cidStr)).isTrue();
        assertThat(KuboTestOps.blockStat(kubo, cidStr))
                .isEqualTo(new BlockStat(cidStr, data.length));
        assertThat(kubo.blockGet(cidStr)).isEqualTo(data);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(KuboTestOps.cat(kubo, cidStr, out)).isEqualTo(data.length);
        assertThat(out.toByteArray()).isEqualTo(data);

        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        long n = KuboTestOps.dagExport(kubo, cidStr, exported);
        assertThat(n).isEqualTo(exported.size());
        // Kubo writes the same CARv1 bytes we built: same header encoding, one section.
        assertThat(exported.toByteArray()).isEqualTo(Files.readAllBytes(car));

        // Importing again is idempotent and pin/add of a pinned root is a no-op.
        assertThat(KuboTestOps.dagImport(kubo, car).rootCids()).containsExactly(cidStr);
        assertThat(kubo.pinAdd(cidStr)).containsExactly(cidStr);
    }

    @Test
    void pinAddOfImportedButUnpinnedBlock(@TempDir Path dir) throws Exception {
        byte[] data = randomData("pin-add");
        byte[] cid = rawCid(data);
        String cidStr = cidString(cid);
        DagImportResult r = kubo.dagImport(writeCar(dir.resolve("p.car"), cid, cid, data), false);
        assertThat(r.roots()).isEmpty();
        assertThat(kubo.isPinned(cidStr)).isFalse();
        assertThat(kubo.pinAdd(cidStr)).containsExactly(cidStr);
        assertThat(kubo.isPinned(cidStr)).isTrue();
    }

    @Test
    void allPinnedAsksInBatchesAndIsFalseForOneUnpinned(@TempDir Path dir) throws Exception {
        List<String> pinned = new ArrayList<>();
        for (int i = 0; i < KuboClient.PIN_LS_BATCH + 3; i++) {
            byte[] data = randomData("all-" + i);
            byte[] cid = rawCid(data);
            KuboTestOps.dagImport(kubo, writeCar(dir.resolve(i + ".car"), cid, cid, data));
            pinned.add(cidString(cid));
        }
        byte[] loose = randomData("loose");
        byte[] looseCid = rawCid(loose);
        kubo.dagImport(writeCar(dir.resolve("loose.car"), looseCid, looseCid, loose), false);

        assertThat(kubo.allPinned(List.of())).isTrue();
        assertThat(kubo.allPinned(pinned)).isTrue();
        List<String> withLoose = new ArrayList<>(pinned);
        withLoose.add(cidString(looseCid)); // in the second batch
        assertThat(kubo.allPinned(withLoose)).isFalse();
        withLoose.add(0, withLoose.remove(withLoose.size() - 1)); // first of the first batch
        assertThat(kubo.allPinned(withLoose)).isFalse();
        assertThat(kubo.notPinned(pinned)).isEmpty();
        assertThat(kubo.notPinned(withLoose)).containsExactly(cidString(looseCid));
    }

    @Test
    void rootWithoutItsBlockIsAPinFailure(@TempDir Path dir) throws Exception {
        byte[] present = randomData("present");
        byte[] absentCid = rawCid(randomData("absent"));
        Path car = writeCar(dir.resolve("bad.car"), absentCid, rawCid(present), present);
        String absent = cidString(absentCid);

        DagImportResult lenient = kubo.dagImport(car, true);
        assertThat(lenient.failedRoots()).hasSize(1);
        assertThat(lenient.failedRoots().get(0).cid()).isEqualTo(absent);
        assertThat(lenient.failedRoots().get(0).pinErrorMsg()).isNotBlank();

        assertThatThrownBy(() -> KuboTestOps.dagImport(kubo, car))
                .isInstanceOfSatisfying(
                        KuboException.class,
                        e -> {
                            assertThat(e.isUnavailable()).isFalse();
                            assertThat(e.getMessage()).contains("dag/import").contains(absent);
                        });
        assertThat(kubo.isPinned(absent)).isFalse();
    }

    @Test
    void blockGetOfABlockKuboDoesNotHaveFails() throws Exception {
        String absent = cidString(rawCid(randomData("absent")));
        assertThatThrownBy(() -> kubo.blockGet(absent))
                .isInstanceOf(KuboException.class)
                .hasMessageContaining("block/get");
    }

    @Test
    void badCidCarriesKubosMessage() {
        assertThatThrownBy(() -> KuboTestOps.blockStat(kubo, "not-a-cid"))
                .isInstanceOfSatisfying(
                        KuboException.class,
                        e -> {
                            assertThat(e.isUnavailable()).isFalse();
                            assertThat(e.endpoint()).isEqualTo("block/stat");
                            assertThat(e.httpStatus()).isBetween(400, 500);
                            assertThat(e.kuboCode()).isNotNull();
                            assertThat(e.kuboMessage()).contains("not-a-cid");
                        });
        assertThatThrownBy(() -> kubo.isPinned("not-a-cid"))
                .isInstanceOf(KuboException.class)
                .hasMessageContaining("not-a-cid");
    }

    @Test
    void connectionRefusedIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KuboClient dead =
                new KuboClient(
                        KuboClientOptions.builder()
                                .apiUrl("http://127.0.0.1:" + port)
                                .connectTimeout(Duration.ofSeconds(2))
                                .build());
        assertThatThrownBy(() -> KuboTestOps.version(dead))
                .isInstanceOfSatisfying(
                        KuboUnavailableException.class,
                        e -> {
                            assertThat(e.isUnavailable()).isTrue();
                            assertThat(e.httpStatus()).isEqualTo(-1);
                            assertThat(e.getMessage())
                                    .contains("version")
                                    .contains("127.0.0.1:" + port);
                        });
    }

    // ------------------------------------------------------------ a CARv1, by hand

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] randomData(String label) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        StringBuilder sb = new StringBuilder("artdag kubo test ").append(label).append(' ');
        for (byte b : nonce) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** CIDv1, raw codec (0x55), sha2-256 multihash. */
    static byte[] rawCid(byte[] data) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
        byte[] cid = new byte[4 + digest.length];
        cid[0] = 0x01;
        cid[1] = 0x55;
        cid[2] = 0x12;
        cid[3] = 0x20;
        System.arraycopy(digest, 0, cid, 4, digest.length);
        return cid;
    }

    /** Multibase base32 (lowercase, no padding) with prefix 'b', as Kubo prints CIDv1. */
    static String cidString(byte[] cid) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder("b");
        int buffer = 0;
        int bits = 0;
        for (byte b : cid) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** CARv1: varint(len(header)) header, then varint(len(cid)+len(data)) cid data. */
    static Path writeCar(Path file, byte[] rootCid, byte[] blockCid, byte[] data) throws Exception {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        // dag-cbor {"roots": [CID], "version": 1}; keys in length-first canonical order.
        header.write(0xa2);
        header.write(0x65);
        header.write("roots".getBytes(StandardCharsets.US_ASCII));
        header.write(0x81);
        header.write(0xd8); // tag 42
        header.write(0x2a);
        header.write(0x58); // byte string, 1-byte length
        header.write(rootCid.length + 1);
        header.write(0x00); // multibase identity prefix required by the CID tag
        header.write(rootCid);
        header.write(0x67);
        header.write("version".getBytes(StandardCharsets.US_ASCII));
        header.write(0x01);

        ByteArrayOutputStream car = new ByteArrayOutputStream();
        writeVarint(car, header.size());
        header.writeTo(car);
        writeVarint(car, blockCid.length + data.length);
        car.write(blockCid);
        car.write(data);
        return Files.write(file, car.toByteArray());
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
