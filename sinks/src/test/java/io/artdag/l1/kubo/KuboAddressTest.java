package io.artdag.l1.kubo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * artdag's IPFS_API forms (docs/design.md, "artdag compatibility": {@code
 * IPFS_API=/ip4/127.0.0.1/tcp/5001}) as Kubo URLs.
 */
class KuboAddressTest {
    @Test
    void multiaddrsBecomeHttpUrls() {
        assertThat(KuboAddress.toUrl("/ip4/127.0.0.1/tcp/5001")).isEqualTo("http://127.0.0.1:5001");
        assertThat(KuboAddress.toUrl("/dns/ipfs.local/tcp/5001"))
                .isEqualTo("http://ipfs.local:5001");
        assertThat(KuboAddress.toUrl("/dns4/kubo/tcp/80/http")).isEqualTo("http://kubo:80");
        assertThat(KuboAddress.toUrl("/ip6/::1/tcp/5001")).isEqualTo("http://[::1]:5001");
        assertThat(KuboAddress.toUrl("/dns/kubo.example/tcp/443/https"))
                .isEqualTo("https://kubo.example:443");
        assertThat(KuboAddress.toUrl(" http://127.0.0.1:5001 ")).isEqualTo("http://127.0.0.1:5001");
    }

    @Test
    void seedFormIsAcceptedByTheClientOptions() {
        assertThat(KuboClientOptions.builder().apiUrl("/ip4/127.0.0.1/tcp/5001").build().apiUrl())
                .hasToString("http://127.0.0.1:5001");
    }

    @Test
    void badMultiaddrsNameTheAddressAndTheReason() {
        assertThatThrownBy(() -> KuboAddress.toUrl("/ip4/127.0.0.1/udp/5001"))
                .hasMessageContaining("/ip4/127.0.0.1/udp/5001")
                .hasMessageContaining("/tcp/PORT");
        assertThatThrownBy(() -> KuboAddress.toUrl("/ip4/127.0.0.1/tcp/99999"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> KuboAddress.toUrl("/unix/tmp/sock/x"))
                .hasMessageContaining("unsupported protocol /unix");
        assertThatThrownBy(() -> KuboAddress.toUrl("/ip4/1.2.3.4"))
                .hasMessageContaining("expected");
    }
}
