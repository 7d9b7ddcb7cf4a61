package io.artdag.l1.hash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Registry of SHA3-256 implementations: which load in this JVM, pass the FIPS 202 self-test, and
 * which one {@code auto} picks. Probed once, lazily.
 */
final class Sha3Implementations {

    static final String PROPERTY = "artdag.sha3.impl";
    static final String ENV = "ARTDAG_SHA3_IMPL";
    static final String AUTO = "auto";

    static final String JDK = "jdk";
    static final String BOUNCYCASTLE = "bouncycastle";
    static final String OPENSSL = "openssl";

    /** All known names. */
    static final List<String> KNOWN = List.of(OPENSSL, JDK, BOUNCYCASTLE);

    /** A usable implementation. */
    record Impl(String name, Supplier<Sha3Hasher> factory, boolean prefersDirectBuffers) {
        Sha3Hasher create() {
            return factory.get();
        }
    }

    private static final class Probe {
        static final Map<String, Impl> AVAILABLE = new LinkedHashMap<>();
        static final Map<String, String> UNAVAILABLE = new LinkedHashMap<>();

        static {
            for (String name : autoOrder()) {
                try {
                    Impl impl = load(name);
                    String err = selfTest(impl);
                    if (err == null) {
                        AVAILABLE.put(name, impl);
                    } else {
                        UNAVAILABLE.put(name, err);
                    }
                } catch (Throwable t) { // LinkageError, missing optional class, native failure
                    UNAVAILABLE.put(name, t.toString());
                }
            }
        }
    }

    private static volatile Impl selected;

    private Sha3Implementations() {}

    /**
     * Preference order for {@code auto}, fastest first, from docs/benchmarks.md ("What auto picks
     * and why"): OpenSSL, then on JDK 17–24 BouncyCastle before the JDK's SHA3 (about 1.3–1.9×
     * faster there), on JDK 25 and later the JDK's (as fast as OpenSSL in the rerun).
     */
    static List<String> autoOrder() {
        return Runtime.version().feature() >= 25
                ? List.of(OPENSSL, JDK, BOUNCYCASTLE)
                : List.of(OPENSSL, BOUNCYCASTLE, JDK);
    }

    private static Impl load(String name) throws Exception {
        switch (name) {
            case JDK:
                new ContentHashes.JdkSha3Hasher();
                return new Impl(JDK, ContentHashes.JdkSha3Hasher::new, false);
            case BOUNCYCASTLE:
                Class.forName("org.bouncycastle.crypto.digests.SHA3Digest");
                return new Impl(BOUNCYCASTLE, BouncyCastleSha3Hasher::new, false);
            case OPENSSL:
                Class.forName("com.sun.jna.Native");
                new OpenSslSha3Hasher();
                return new Impl(OPENSSL, OpenSslSha3Hasher::new, true);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /** Returns null if {@code impl} reproduces the FIPS 202 examples, else what went wrong. */
    static String selfTest(Impl impl) {
        byte[] a3 = new byte[200];
        Arrays.fill(a3, (byte) 0xa3);
        String[][] vectors = {
            {"", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"},
            {"abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
        };
        Sha3Hasher h = impl.create();
        for (String[] v : vectors) {
            byte[] m = v[0].getBytes(StandardCharsets.US_ASCII);
            h.update(m, 0, m.length);
            String got = ContentHashes.hex(h.digest());
            if (!got.equals(v[1])) {
                return "self-test failed for \"" + v[0] + "\": got " + got;
            }
        }
        String a3Expected = "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787";
        h.update(a3, 0, 77);
        h.update(ByteBuffer.allocateDirect(123).put(a3, 77, 123).flip());
        String got = ContentHashes.hex(h.digest());
        if (!got.equals(a3Expected)) {
            return "self-test failed for 1600-bit 0xA3 message: got " + got;
        }
        return null;
    }

    /** Names available here, in {@code auto} preference order. */
    static List<String> available() {
        return Collections.unmodifiableList(new ArrayList<>(Probe.AVAILABLE.keySet()));
    }

    /** Why each unavailable implementation is unavailable. */
    static Map<String, String> unavailable() {
        return Collections.unmodifiableMap(Probe.UNAVAILABLE);
    }

    /** The implementation named, or the {@code auto} pick. */
    static Impl get(String name) {
        String n = name == null ? AUTO : name.trim().toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.equals(AUTO)) {
            if (Probe.AVAILABLE.isEmpty()) {
                throw new IllegalStateException(
                        "no SHA3-256 implementation available: " + Probe.UNAVAILABLE);
            }
            return Probe.AVAILABLE.values().iterator().next();
        }
        if (!KNOWN.contains(n)) {
            throw new IllegalArgumentException(
                    "unknown SHA3-256 implementation \""
                            + name
                            + "\"; known: "
                            + AUTO
                            + ", "
                            + String.join(", ", KNOWN));
        }
        Impl impl = Probe.AVAILABLE.get(n);
        if (impl == null) {
            throw new IllegalStateException(
                    "SHA3-256 implementation \""
                            + n
                            + "\" was requested but is not available in this JVM: "
                            + Probe.UNAVAILABLE.get(n));
        }
        return impl;
    }

    /** What {@link ContentHashes#newSha3_256()} uses: the override if set, else {@code auto}. */
    static Impl selected() {
        Impl s = selected;
        if (s == null) {
            s = get(requested());
            selected = s; // only cached on success; a bad override keeps throwing
        }
        return s;
    }

    /** The override value from the system property or environment, or {@code auto}. */
    static String requested() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
        }
        return v == null || v.isBlank() ? AUTO : v;
    }
}
