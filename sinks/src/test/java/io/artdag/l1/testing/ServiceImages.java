package io.artdag.l1.testing;

/** Docker image tags of the services the integration tests use where Docker is available. */
public final class ServiceImages {
    private ServiceImages() {}

    /** The Kubo release deploy/local builds from its Go module. */
    public static final String KUBO = "ipfs/kubo:v0.41.0";

    /** The Redis release Debian 12 ships (deploy/local uses that package). */
    public static final String REDIS = "redis:7.0.15";

    /** The PostgreSQL major release Debian 12 ships. */
    public static final String POSTGRES = "postgres:15";

    /** The Kafka release deploy/local/kafka.sh assembles from Maven Central (KRaft). */
    public static final String KAFKA = "apache/kafka:4.1.1";
}
