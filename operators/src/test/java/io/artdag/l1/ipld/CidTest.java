package io.artdag.l1.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CidTest {
    private static final HexFormat HEX = HexFormat.of();
    // SHA-256 of the empty string (FIPS 180 / widely published).
    private static final String SHA256_EMPTY =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void rawEmptyBlockCid() {
        Multihash mh = Multihash.sha256(new byte[0], 0, 0);
        assertThat(mh.digest()).isEqualTo(HEX.parseHex(SHA256_EMPTY));
        assertThat(mh.toBytes()).isEqualTo(HEX.parseHex("1220" + SHA256_EMPTY));
        Cid c = Cid.v1(Cid.RAW, mh);
        assertThat(c.toBytes()).isEqualTo(HEX.parseHex("01551220" + SHA256_EMPTY));
        // Published CID of an empty file added with raw leaves.
        assertThat(c.toString())
                .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertThat(Cid.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void emptyIdentityPlaceholder() {
        assertThat(Cid.EMPTY_IDENTITY.toString()).isEqualTo("bafkqaaa");
        assertThat(Cid.EMPTY_IDENTITY.toBytes()).isEqualTo(HEX.parseHex("01550000"));
        assertThat(Cid.parse("bafkqaaa")).isEqualTo(Cid.EMPTY_IDENTITY);
        assertThat(Cid.EMPTY_IDENTITY.multihash().code()).isEqualTo(Multihash.IDENTITY);
    }

    @Test
    void v0RoundTrip() {
        // Classic empty-file CID (widely published).
        Cid c = Cid.parse("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
        assertThat(c.version()).isZero();
        assertThat(c.codec()).isEqualTo(Cid.DAG_PB);
        assertThat(c.toBytes()).hasSize(34).startsWith(0x12, 0x20);
        assertThat(c.toString()).isEqualTo("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
        assertThat(Cid.fromBytes(c.toBytes())).isEqualTo(c);
        Cid v1 = Cid.v1(Cid.DAG_PB, c.multihash());
        assertThat(v1.toString()).startsWith("bafybei");
        assertThat(Cid.parse(v1.toString())).isEqualTo(v1).isNotEqualTo(c);
        // Binary reading stops exactly at the end of each CID.
        ByteBuffer both = ByteBuffer.allocate(100);
        both.put(c.toBytes()).put(v1.toBytes()).put((byte) 7).flip();
        assertThat(Cid.read(both)).isEqualTo(c);
        assertThat(Cid.read(both)).isEqualTo(v1);
        assertThat(both.get()).isEqualTo((byte) 7);
        assertThat(c.compareTo(v1)).isGreaterThan(0); // 0x12 > 0x01
    }

    @Test
    void parseErrorsNameTheInput() {
        assertThatThrownBy(() -> Cid.parse("Qmnotbase58!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Qmnotbase58");
        assertThatThrownBy(() -> Cid.parse("xyz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"xyz\"");
        assertThatThrownBy(() -> Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedz");
        assertThatThrownBy(() -> Cid.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multihashReadAndEquality() {
        Multihash a = Multihash.of(Multihash.SHA2_256, HEX.parseHex(SHA256_EMPTY));
        Multihash b = Multihash.read(ByteBuffer.wrap(HEX.parseHex("1220" + SHA256_EMPTY)));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("sha2-256:" + SHA256_EMPTY);
        assertThatThrownBy(() -> Multihash.read(ByteBuffer.wrap(HEX.parseHex("1220e3b0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }
}
