package io.artdag.l1.kubo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Kubo RPC calls only tests make ({@code version}, {@code block/stat}, {@code cat}, {@code
 * dag/export}, a {@code dag/import} that fails on an unpinned root, {@code add --only-hash}), on
 * the same request/response mechanics as {@link KuboClient} and with its errors.
 */
public final class KuboTestOps {
    private KuboTestOps() {}

    /** A client with default timeouts and no token. */
    public static KuboClient create(String apiUrl) {
        return new KuboClient(KuboClientOptions.builder().apiUrl(apiUrl).build());
    }

    /** {@code version}. */
    public static KuboVersion version(KuboClient kubo) throws KuboException {
        KuboHttp http = kubo.http();
        JsonNode n = http.callJson("version", http.options().requestTimeout());
        return new KuboVersion(
                KuboHttp.text(n, "Version"),
                KuboHttp.text(n, "Commit"),
                KuboHttp.text(n, "Repo"),
                KuboHttp.text(n, "System"),
                KuboHttp.text(n, "Golang"));
    }

    /** {@code block/stat}: fails (Kubo's message) when the CID is invalid or not held. */
    public static BlockStat blockStat(KuboClient kubo, String cid) throws KuboException {
        KuboHttp http = kubo.http();
        JsonNode n =
                http.callJson(
                        "block/stat",
                        http.options().requestTimeout(),
                        "arg",
                        KuboHttp.requireCid(cid));
        return new BlockStat(KuboHttp.text(n, "Key"), n.path("Size").asLong(-1));
    }

    /**
     * {@code cat <cid-or-path>}: streams the file's bytes into {@code out} (not closed) and returns
     * how many were written. When Kubo announces a length ({@code X-Content-Length}) a short body
     * is an error.
     */
    public static long cat(KuboClient kubo, String cidOrPath, OutputStream out)
            throws KuboException {
        Objects.requireNonNull(out, "out");
        KuboHttp http = kubo.http();
        String endpoint = "cat";
        HttpResponse<InputStream> rsp =
                http.streamPost(endpoint, cidOrPath, http.options().transferTimeout());
        long n = copy(endpoint, rsp, out);
        OptionalLong expected = headerLong(rsp, "X-Content-Length");
        if (expected.isPresent() && expected.getAsLong() != n) {
            throw new KuboException(
                    endpoint,
                    rsp.statusCode(),
                    null,
                    "response ended after " + n + " of " + expected.getAsLong() + " bytes");
        }
        return n;
    }

    /**
     * {@code dag/export <cid>}: streams a CARv1 of the DAG into {@code out} (not closed) and
     * returns its size. Kubo reports an error after the headers only in an HTTP trailer this client
     * cannot read, so callers should verify the CAR they receive.
     */
    public static long dagExport(KuboClient kubo, String cid, OutputStream out)
            throws KuboException {
        Objects.requireNonNull(out, "out");
        KuboHttp http = kubo.http();
        String endpoint = "dag/export";
        return copy(
                endpoint, http.streamPost(endpoint, cid, http.options().transferTimeout()), out);
    }

    /**
     * {@code dag/import --pin-roots=true --stats=true}: streams {@code car} from disk (never held
     * in memory) and pins the roots listed in its header.
     *
     * @throws KuboException when a root could not be pinned (its {@code PinErrorMsg} is non-empty),
     *     besides the usual failures
     */
    public static DagImportResult dagImport(KuboClient kubo, Path car) throws KuboException {
        DagImportResult r = kubo.dagImport(car, true);
        List<DagImportResult.Root> failed = r.failedRoots();
        if (!failed.isEmpty()) {
            StringBuilder sb = new StringBuilder("pinning failed for ");
            for (int i = 0; i < failed.size(); i++) {
                DagImportResult.Root f = failed.get(i);
                sb.append(i == 0 ? "" : "; ").append(f.cid()).append(": ").append(f.pinErrorMsg());
            }
            sb.append(" (imported ").append(car).append(')');
            throw new KuboException("dag/import", 200, null, sb.toString());
        }
        return r;
    }

    /**
     * {@code add --only-hash}: streams {@code file} to Kubo, which chunks and hashes it with {@code
     * opts} without storing or pinning anything, and returns the root CID Kubo computed. Used to
     * check that the store builds the same DAGs as Kubo.
     */
    public static String addOnlyHash(KuboClient kubo, Path file, AddOptions opts)
            throws KuboException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new KuboException("add", -1, null, file + " is not a regular file");
        }
        return addOnlyHash(
                kubo,
                () -> {
                    try {
                        return Files.newInputStream(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                String.valueOf(file.getFileName()),
                opts);
    }

    /**
     * {@code add --only-hash} of the bytes {@code content} supplies (opened once per attempt, read
     * to its end, closed by the client), sent as one multipart file named {@code fileName}.
     */
    public static String addOnlyHash(
            KuboClient kubo,
            Supplier<? extends InputStream> content,
            String fileName,
            AddOptions opts)
            throws KuboException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(opts, "opts");
        KuboHttp http = kubo.http();
        String endpoint = "add";
        String boundary = "artdag-" + UUID.randomUUID();
        List<String> params =
                new ArrayList<>(
                        List.of(
                                "only-hash", "true",
                                "pin", "false",
                                "progress", "false",
                                "wrap-with-directory", "false",
                                "trickle", "false",
                                "inline", "false",
                                "hash", "sha2-256",
                                "cid-version", Integer.toString(opts.cidVersion()),
                                "raw-leaves", Boolean.toString(opts.rawLeaves()),
                                "chunker", "size-" + opts.chunkSize()));
        if (opts.maxFileLinks() != null) {
            params.add("max-file-links");
            params.add(Integer.toString(opts.maxFileLinks()));
        }
        HttpRequest req =
                http.post(endpoint, http.options().transferTimeout(), params.toArray(String[]::new))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(
                                KuboHttp.multipart(
                                        boundary,
                                        fileName == null || fileName.isBlank() ? "file" : fileName,
                                        HttpRequest.BodyPublishers.ofInputStream(content)))
                        .build();
        HttpResponse<InputStream> rsp = http.send(endpoint, req);
        http.ensureOk(endpoint, rsp);
        String hash = "";
        for (JsonNode n : http.readNdjson(endpoint, rsp)) {
            if (n.hasNonNull("Hash")) {
                hash = n.get("Hash").asText();
            }
        }
        if (hash.isEmpty()) {
            throw new KuboException(endpoint, rsp.statusCode(), null, "no Hash in the answer");
        }
        return hash;
    }

    private static long copy(String endpoint, HttpResponse<InputStream> rsp, OutputStream out)
            throws KuboException {
        return KuboHttp.readStream(endpoint, rsp, in -> in.transferTo(out));
    }

    private static OptionalLong headerLong(HttpResponse<?> rsp, String name) {
        Optional<String> v = rsp.headers().firstValue(name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
