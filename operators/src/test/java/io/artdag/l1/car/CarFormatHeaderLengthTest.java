package io.artdag.l1.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The writer's O(1) header-length arithmetic equals the length of the header actually encoded, at
 * every CBOR length boundary (root counts 23/24, 255/256, 65535/65536; root byte strings of 23/24
 * bytes) and for the CID shapes the store writes.
 */
class CarFormatHeaderLengthTest {

    private static Cid cid(SplittableRandom r, int shape) {
        byte[] digest = new byte[32];
        r.nextBytes(digest);
        return switch (shape) {
            case 0 -> Cid.v0(Multihash.of(Multihash.SHA2_256, digest));
            case 1 -> Cid.v1(Cid.RAW, Multihash.of(Multihash.SHA2_256, digest));
            case 2 -> Cid.v1(Cid.DAG_PB, Multihash.of(Multihash.SHA2_256, digest));
            case 3 -> Cid.EMPTY_IDENTITY;
            default -> {
                // identity CIDs of 19..21 digest bytes: byte strings of 23, 24 and 25 bytes
                byte[] small = new byte[19 + r.nextInt(3)];
                r.nextBytes(small);
                yield Cid.v1(Cid.RAW, Multihash.of(Multihash.IDENTITY, small));
            }
        };
    }

    @Test
    void arithmeticEqualsTheEncodedLength() {
        SplittableRandom r = new SplittableRandom(7);
        List<Cid> roots = new ArrayList<>();
        long entries = 0;
        int[] checkpoints = {0, 1, 22, 23, 24, 25, 254, 255, 256, 257, 1000, 65535, 65536, 65537};
        int next = 0;
        for (int n = 0; n <= 65537; n++) {
            if (n == checkpoints[next]) {
                assertThat(CarFormat.carV1HeaderLength(roots.size(), entries))
                        .as(n + " roots")
                        .isEqualTo(CarFormat.carV1Header(roots).length);
                next++;
            }
            Cid c = cid(r, r.nextInt(5));
            roots.add(c);
            entries += CarFormat.rootEntryLength(c);
        }
    }
}
