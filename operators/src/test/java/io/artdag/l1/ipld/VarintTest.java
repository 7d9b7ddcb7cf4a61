package io.artdag.l1.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarintTest {
    // Examples from the multiformats/unsigned-varint README.
    @ParameterizedTest
    @CsvSource({
        "1, 01",
        "127, 7f",
        "128, 8001",
        "255, ff01",
        "300, ac02",
        "16384, 808001",
        "9223372036854775807, ffffffffffffffff7f"
    })
    void specExamples(long value, String hex) {
        byte[] expected = HexFormat.of().parseHex(hex);
        assertThat(Varint.encode(value)).isEqualTo(expected);
        assertThat(Varint.size(value)).isEqualTo(expected.length);
        byte[] out = new byte[12];
        assertThat(Varint.write(value, out, 2)).isEqualTo(expected.length);
        ByteBuffer in = ByteBuffer.wrap(expected);
        assertThat(Varint.read(in)).isEqualTo(value);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void rejectsTruncatedOverlongAndNonMinimal() {
        assertThatThrownBy(() -> Varint.read(ByteBuffer.wrap(new byte[] {(byte) 0x80})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        byte[] ten = HexFormat.of().parseHex("ffffffffffffffffff01");
        assertThatThrownBy(() -> Varint.read(ByteBuffer.wrap(ten)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9 bytes");
        assertThatThrownBy(() -> Varint.read(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x00})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimal");
        assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
