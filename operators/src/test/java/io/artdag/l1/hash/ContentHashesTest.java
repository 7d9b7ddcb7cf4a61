package io.artdag.l1.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContentHashesTest {

    // Expected values are the published FIPS 202 / NIST CSRC "SHA3-256" example values
    // (https://csrc.nist.gov/projects/cryptographic-standards-and-guidelines/example-values),
    // not computed by the code under test.
    static final String EMPTY = "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";
    static final String ABC = "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";
    static final String A3_1600 =
            "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787";
    static final String MSG_448 =
            "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376";
    static final String MSG_896 =
            "916f6061fe879741ca6469b43971dfdb28b1a32dc36cb3254e812be27aad1d18";
    static final String MILLION_A =
            "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1";

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] a3x200() {
        byte[] b = new byte[200];
        Arrays.fill(b, (byte) 0xa3);
        return b;
    }

    /** Every implementation that loads here, plus "auto"; each must pass every test. */
    static List<String> implementations() {
        List<String> all = new java.util.ArrayList<>(ContentHashes.availableImplementations());
        all.add("auto");
        return all;
    }

    static String sha3(byte[] b) {
        return sha3("auto", b);
    }

    static String sha3(String impl, byte[] b) {
        Sha3Hasher h = ContentHashes.newSha3_256(impl);
        h.update(b, 0, b.length);
        return ContentHashes.hex(h.digest());
    }

    @Test
    void jdkIsAlwaysAvailable() {
        assertThat(ContentHashes.availableImplementations()).contains("jdk");
        // docs/benchmarks.md, "What auto picks and why".
        assertThat(Sha3Implementations.autoOrder())
                .containsExactlyElementsOf(
                        Runtime.version().feature() >= 25
                                ? List.of("openssl", "jdk", "bouncycastle")
                                : List.of("openssl", "bouncycastle", "jdk"));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void nistVectors(String impl) {
        assertThat(sha3(impl, new byte[0])).isEqualTo(EMPTY);
        assertThat(sha3(impl, ascii("abc"))).isEqualTo(ABC);
        assertThat(sha3(impl, a3x200())).isEqualTo(A3_1600);
        assertThat(sha3(impl, ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
                .isEqualTo(MSG_448);
        assertThat(
                        sha3(
                                impl,
                                ascii(
                                        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                                + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")))
                .isEqualTo(MSG_896);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void millionA_streamedInOddChunks(String impl) {
        Sha3Hasher h = ContentHashes.newSha3_256(impl);
        byte[] chunk = new byte[997];
        Arrays.fill(chunk, (byte) 'a');
        int left = 1_000_000;
        while (left > 0) {
            int n = Math.min(left, chunk.length);
            h.update(chunk, 0, n);
            left -= n;
        }
        assertThat(ContentHashes.hex(h.digest())).isEqualTo(MILLION_A);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void millionA_inOneCall(String impl) {
        byte[] a = new byte[1_000_000];
        Arrays.fill(a, (byte) 'a');
        assertThat(sha3(impl, a)).isEqualTo(MILLION_A);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void digestResets(String impl) {
        Sha3Hasher h = ContentHashes.newSha3_256(impl);
        h.update(ascii("xyz"), 0, 3);
        h.digest();
        h.update(ascii("abc"), 0, 3);
        assertThat(ContentHashes.hex(h.digest())).isEqualTo(ABC);
        assertThat(ContentHashes.hex(h.digest())).isEqualTo(EMPTY);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void byteBufferHeapDirectAndOffsets(String impl) {
        byte[] msg = a3x200();
        ByteBuffer heap = ByteBuffer.allocate(300);
        heap.position(50);
        heap.put(msg);
        heap.flip().position(50);
        ByteBuffer direct = ByteBuffer.allocateDirect(200).put(msg).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(msg).asReadOnlyBuffer();
        for (ByteBuffer b : new ByteBuffer[] {heap, direct, readOnly}) {
            Sha3Hasher h = ContentHashes.newSha3_256(impl);
            h.update(b);
            assertThat(b.hasRemaining()).isFalse();
            assertThat(ContentHashes.hex(h.digest())).isEqualTo(A3_1600);
        }
        byte[] padded = new byte[210];
        System.arraycopy(msg, 0, padded, 7, 200);
        Sha3Hasher h = ContentHashes.newSha3_256(impl);
        h.update(padded, 7, 200);
        assertThat(ContentHashes.hex(h.digest())).isEqualTo(A3_1600);
    }

    @Test
    void fileHash(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThat(ContentHashes.sha3Hex(empty)).isEqualTo(EMPTY);
        byte[] a = new byte[1_000_000];
        Arrays.fill(a, (byte) 'a');
        Path million = Files.write(dir.resolve("million"), a);
        assertThat(ContentHashes.sha3Hex(million)).isEqualTo(MILLION_A);
        // larger than the internal buffer, not a multiple of it
        byte[] big = new byte[(3 << 20) + 12345];
        new Random(42).nextBytes(big);
        Path bigFile = Files.write(dir.resolve("big"), big);
        assertThat(ContentHashes.sha3Hex(bigFile)).isEqualTo(sha3(big));
    }

    /**
     * Differential test against the JDK's SUN provider: random lengths 0..10,000 (covering every
     * position relative to the 136-byte rate), each fed in one call and in random splits through
     * arrays, heap buffers and direct buffers.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void differentialAgainstJdk(String impl) throws Exception {
        Random rnd = new Random(0x5ea3_256L);
        java.security.MessageDigest ref = java.security.MessageDigest.getInstance("SHA3-256");
        Sha3Hasher h = ContentHashes.newSha3_256(impl);
        for (int iter = 0; iter < 600; iter++) {
            int len = iter < 300 ? iter : rnd.nextInt(10_001);
            byte[] msg = new byte[len];
            rnd.nextBytes(msg);
            byte[] expected = ref.digest(msg);

            h.update(msg, 0, len);
            assertThat(h.digest()).as("%s len %d one call", impl, len).isEqualTo(expected);

            int pos = 0;
            while (pos < len) {
                int n = Math.min(len - pos, rnd.nextInt(Math.min(len, 400) + 1));
                switch (rnd.nextInt(3)) {
                    case 0 -> h.update(msg, pos, n);
                    case 1 -> h.update(ByteBuffer.wrap(msg, pos, n));
                    default -> h.update(ByteBuffer.allocateDirect(n).put(msg, pos, n).flip());
                }
                pos += n;
            }
            assertThat(h.digest()).as("%s len %d split", impl, len).isEqualTo(expected);
        }
    }

    @Test
    void unknownImplementationIsRejected() {
        assertThatThrownBy(() -> ContentHashes.newSha3_256("md5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"md5\"");
    }

    @Test
    void knownButUnavailableImplementationThrows() {
        for (String name : Sha3Implementations.KNOWN) {
            if (!ContentHashes.availableImplementations().contains(name)) {
                assertThatThrownBy(() -> ContentHashes.newSha3_256(name))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(name);
            }
        }
    }

    @Test
    void hexRoundTripAndValidation() {
        byte[] d = ContentHashes.unhex(ABC);
        assertThat(d).hasSize(32);
        assertThat(ContentHashes.hex(d)).isEqualTo(ABC);
        assertThat(ContentHashes.unhex("00FFaB")).containsExactly(0x00, 0xff, 0xab);
        assertThat(ContentHashes.hex(new byte[0])).isEmpty();
        assertThat(ContentHashes.isContentHash(ABC)).isTrue();
        assertThat(ContentHashes.isContentHash(ABC.toUpperCase())).isFalse();
        assertThat(ContentHashes.isContentHash(ABC.substring(1))).isFalse();
        assertThat(ContentHashes.isContentHash(ABC + "0")).isFalse();
        assertThat(ContentHashes.isContentHash(ABC.replace('a', 'g'))).isFalse();
        assertThat(ContentHashes.isContentHash(null)).isFalse();
        assertThatThrownBy(() -> ContentHashes.unhex("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"abc\"");
        assertThatThrownBy(() -> ContentHashes.unhex("zz00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"zz00\"");
        // non-ASCII digits (Character.digit accepts them) must be rejected
        assertThatThrownBy(() -> ContentHashes.unhex("\uff10\uff10"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContentHashes.unhex(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
