package io.artdag.l1.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.artdag.l1.cluster.PinOptions;
import io.artdag.l1.connector.L1StoreOptions;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.PinBackends;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.source.KafkaInputOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The one configuration file of the CLI and the cluster job ({@code conf/l1.yaml}, {@code --config
 * FILE} or {@code $L1_CONFIG}): every {@code l1.*} option, as flat keys ({@code l1.redis.url: …})
 * or nested maps ({@code l1: {redis: {url: …}}}), the way Flink's own {@code config.yaml} reads.
 * Environment variables and flags override it (see {@code README.md}, "Configuration").
 *
 * <p>It is checked when read: an unknown key (a typo would otherwise be silently ignored), a value
 * its option cannot parse, and a secret ({@code l1.postgres.password}: files in git must not hold
 * one; name a file with {@code l1.postgres.password-file} instead) are errors naming the file and
 * the key.
 */
@PublicEvolving
public final class ConfigFile {
    /**
     * The environment variable naming the configuration file when {@code --config} is not given.
     */
    public static final String ENV = "L1_CONFIG";

    /** The largest configuration file read. */
    static final long MAX_BYTES = 1L << 20;

    /** The option classes whose {@code l1.*} options the file may set. */
    private static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    IngestOptions.class,
                    L1Options.class,
                    SegmentSinkOptions.class,
                    KafkaInputOptions.class,
                    PinOptions.class,
                    PinBackends.class,
                    L1StoreOptions.class);

    /** Keys that name secrets: never read from a file that may be committed. */
    private static final Map<String, String> SECRETS =
            Map.of(L1Options.POSTGRES_PASSWORD.key(), L1Options.POSTGRES_PASSWORD_FILE.key());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigFile() {}

    /** Every option the file may set, by key (sorted). */
    public static Map<String, ConfigOption<?>> options() {
        Map<String, ConfigOption<?>> options = new TreeMap<>();
        for (Class<?> c : OPTION_CLASSES) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                        options.putIfAbsent(o.key(), o);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return Collections.unmodifiableMap(options);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file (and the key) when it cannot be read, is not
     *     YAML, sets an unknown option or a secret, or holds a value its option rejects
     */
    public static Configuration load(Path file) {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(
                        file + ": larger than " + (MAX_BYTES >> 10) + " KiB, not read");
            }
            try (InputStream in = Files.newInputStream(file)) {
                root = YAML.readTree(in);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such configuration file");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + ": not a readable YAML file: " + firstLine(e.getMessage()));
        }
        Configuration config = new Configuration();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return config; // an empty file (or comments only)
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a map of options at the top");
        }
        Map<String, ConfigOption<?>> known = options();
        Map<String, String> flat = new TreeMap<>();
        flatten(file, "", root, flat);
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = e.getKey();
            if (SECRETS.containsKey(key)) {
                throw new IllegalArgumentException(
                        file
                                + ": "
                                + key
                                + " is a secret and is not read from a configuration file; name a"
                                + " file holding it with "
                                + SECRETS.get(key)
                                + ", or set $"
                                + io.artdag.l1.postgres.PostgresPassword.ENV);
            }
            if (key.equals(L1Options.POSTGRES_URL.key())
                    && e.getValue().matches("(?s)[a-z:]*//[^/@]*:[^/@]*@.*")) {
                throw new IllegalArgumentException(
                        file
                                + ": "
                                + key
                                + " holds a password, and secrets are not read from a"
                                + " configuration file; leave it out of the URL and name a file"
                                + " holding it with "
                                + L1Options.POSTGRES_PASSWORD_FILE.key()
                                + ", or set $"
                                + io.artdag.l1.postgres.PostgresPassword.ENV);
            }
            ConfigOption<?> option = known.get(key);
            if (option == null) {
                throw new IllegalArgumentException(
                        file
                                + ": unknown option '"
                                + key
                                + "'"
                                + (key.startsWith("l1.")
                                        ? ""
                                        : " (only l1.* options belong here; Flink's own go"
                                                + " into the cluster's config.yaml)")
                                + "; the options are listed in README.md, \"Configuration\"");
            }
            config.setString(key, e.getValue());
            try {
                config.get(option);
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException(
                        file
                                + ": "
                                + key
                                + ": '"
                                + e.getValue()
                                + "' is not a valid value: "
                                + firstLine(bad.getMessage()));
            }
        }
        return config;
    }

    private static void flatten(Path file, String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                flatten(file, key, v, out);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new IllegalArgumentException(
                                file + ": " + key + ": a list may hold only plain values");
                    }
                    items.add(item.asText());
                }
                // Flink's list syntax.
                out.put(key, String.join(";", items));
            } else if (v.isNull()) {
                throw new IllegalArgumentException(
                        file + ": " + key + " has no value (remove the line to use the default)");
            } else {
                if (out.put(key, v.asText()) != null) {
                    throw new IllegalArgumentException(file + ": " + key + " is set twice");
                }
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
