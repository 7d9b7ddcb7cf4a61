package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Flink's S3 settings come from the environment; credentials are never copied into them. */
class ObjectStoresTest {
    @Test
    void endpointAndRegionFromTheEnvironmentCredentialsNever() {
        Configuration c =
                ObjectStores.configuration(
                        Map.of(
                                "L1_S3_ENDPOINT", "http://127.0.0.1:9400",
                                "AWS_REGION", "eu-west-1",
                                "AWS_ACCESS_KEY_ID", "id",
                                "AWS_SECRET_ACCESS_KEY", "secret"));
        assertThat(c.toMap())
                .containsOnly(
                        Map.entry("s3.endpoint", "http://127.0.0.1:9400"),
                        Map.entry("s3.path.style.access", "true"),
                        Map.entry("s3.endpoint.region", "eu-west-1"));
        assertThat(c.toMap().values()).doesNotContain("id", "secret");
        assertThat(ObjectStores.configuration(Map.of()).toMap()).isEmpty();
    }
}
