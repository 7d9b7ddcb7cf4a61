package io.artdag.l1.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultibaseTest {
    // multiformats/multibase tests/basic.csv, leading_zero.csv, two_leading_zeros.csv
    // (multibase prefix characters 'z' and 'b' stripped).
    @ParameterizedTest
    @CsvSource({
        "0, 7paNL19xttacUY, pfsxgidnmfxgsibb",
        "1, 17paNL19xttacUY, ab4wk4zanvqw42jaee",
        "2, 117paNL19xttacUY, aaahszltebwwc3tjeaqq"
    })
    void multibaseSpecVectors(int leadingZeros, String base58, String base32) {
        byte[] text = "yes mani !".getBytes(StandardCharsets.US_ASCII);
        byte[] input = new byte[leadingZeros + text.length];
        System.arraycopy(text, 0, input, leadingZeros, text.length);
        assertThat(Multibase.encodeBase58Btc(input)).isEqualTo(base58);
        assertThat(Multibase.decodeBase58Btc(base58)).isEqualTo(input);
        assertThat(Multibase.encodeBase32Lower(input)).isEqualTo(base32);
        assertThat(Multibase.decodeBase32(base32)).isEqualTo(input);
        assertThat(Multibase.decodeBase32(base32.toUpperCase())).isEqualTo(input);
    }

    // RFC 4648 section 10 test vectors (lower-cased, padding removed).
    @ParameterizedTest
    @CsvSource({
        "'', ''",
        "f, my",
        "fo, mzxq",
        "foo, mzxw6",
        "foob, mzxw6yq",
        "fooba, mzxw6ytb",
        "foobar, mzxw6ytboi"
    })
    void rfc4648Base32(String in, String out) {
        assertThat(Multibase.encodeBase32Lower(in.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(out);
        assertThat(Multibase.decodeBase32(out)).isEqualTo(in.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void emptyAndInvalid() {
        assertThat(Multibase.encodeBase58Btc(new byte[0])).isEmpty();
        assertThat(Multibase.decodeBase58Btc("")).isEmpty();
        assertThatThrownBy(() -> Multibase.decodeBase58Btc("0OIl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base58btc");
        assertThatThrownBy(() -> Multibase.decodeBase32("ab1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
