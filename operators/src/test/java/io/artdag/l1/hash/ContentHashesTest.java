package io.artdag.l1.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    static String sha3(byte[] b) {
        Sha3Hasher h = ContentHashes.newSha3_256();
        h.update(b, 0, b.length);
        return ContentHashes.hex(h.digest());
    }

    @Test
    void nistVectors() {
        assertThat(sha3(new byte[0])).isEqualTo(EMPTY);
        assertThat(sha3(ascii("abc"))).isEqualTo(ABC);
        assertThat(sha3(a3x200())).isEqualTo(A3_1600);
        assertThat(sha3(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
                .isEqualTo(MSG_448);
        assertThat(
                        sha3(
                                ascii(
                                        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                                + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")))
                .isEqualTo(MSG_896);
    }

    @Test
    void millionA_streamedInOddChunks() {
        Sha3Hasher h = ContentHashes.newSha3_256();
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

    @Test
    void digestResets() {
        Sha3Hasher h = ContentHashes.newSha3_256();
        h.update(ascii("xyz"), 0, 3);
        h.digest();
        h.update(ascii("abc"), 0, 3);
        assertThat(ContentHashes.hex(h.digest())).isEqualTo(ABC);
        assertThat(ContentHashes.hex(h.digest())).isEqualTo(EMPTY);
    }

    @Test
    void byteBufferHeapDirectAndOffsets() {
        byte[] msg = a3x200();
        ByteBuffer heap = ByteBuffer.allocate(300);
        heap.position(50);
        heap.put(msg);
        heap.flip().position(50);
        ByteBuffer direct = ByteBuffer.allocateDirect(200).put(msg).flip();
        for (ByteBuffer b : new ByteBuffer[] {heap, direct}) {
            Sha3Hasher h = ContentHashes.newSha3_256();
            h.update(b);
            assertThat(b.hasRemaining()).isFalse();
            assertThat(ContentHashes.hex(h.digest())).isEqualTo(A3_1600);
        }
        byte[] padded = new byte[210];
        System.arraycopy(msg, 0, padded, 7, 200);
        Sha3Hasher h = ContentHashes.newSha3_256();
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
