package io.aiaas.worker.model;

import io.aiaas.engine.ModelArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Streams a model artifact from the control plane this worker is configured with into the cache directory, hashing
 * it on the way, and keeps the file only when its sha256 matches. The URL is always built here from that control
 * plane's address, never taken from a request or an answer, so the worker's token is sent nowhere else.
 */
public final class ArtifactDownloader {

    private final HttpClient http;
    private final Supplier<String> bearerToken;
    private final Path cacheDir;
    private final String controlPlane;

    /** @param controlPlaneUrl {@code aiaas.worker.control-plane.url} */
    public ArtifactDownloader(Supplier<String> bearerToken, Path cacheDir, String controlPlaneUrl) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // plain HTTP/1.1, no h2c upgrade round on every new connection
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.bearerToken = bearerToken;
        this.cacheDir = cacheDir;
        this.controlPlane = controlPlaneUrl.endsWith("/") ? controlPlaneUrl.substring(0, controlPlaneUrl.length() - 1)
                : controlPlaneUrl;
    }

    /** What this class writes into the cache directory: downloads, their partial files and unpacked archives. */
    private static final java.util.regex.Pattern OURS = java.util.regex.Pattern.compile(
            ".+-\\d+-[0-9a-f]{64}\\.onnx(\\.d|\\.[0-9a-f-]{36}\\.unpacking)?|.+\\.part");

    /**
     * Removes what a previous process left in the cache directory (it loads nothing from there at start): a worker
     * killed while downloading or unpacking a model, or before it could unload one, leaves files that a container
     * restart in the same pod would otherwise keep for ever, several gigabytes each for large models. Only names this
     * class writes are touched, so a cache directory shared with anything else loses nothing else.
     *
     * @return how many files and directories were removed
     */
    public int removeLeftovers() {
        if (!Files.isDirectory(cacheDir)) {
            return 0;
        }
        int removed = 0;
        try (java.util.stream.Stream<Path> entries = Files.list(cacheDir)) {
            for (Path entry : entries.toList()) {
                if (OURS.matcher(entry.getFileName().toString()).matches()) {
                    ModelArchive.deleteTree(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            // a cache that cannot be listed is a problem the first download reports
        }
        return removed;
    }

    /** {@code <control plane>/internal/v1/artifacts/<name, percent-encoded>/<version>}. */
    public URI artifactUri(ModelKey key) {
        return URI.create(controlPlane + "/internal/v1/artifacts/" + pathSegment(key.name()) + "/" + key.version());
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, so a name is exactly one path segment. */
    static String pathSegment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /**
     * Downloads the artifact of {@code key} to {@code <cacheDir>/<name>-<version>-<sha256>.onnx} (a zip archive of a
     * model and its data files keeps that name; the engine tells it by its bytes and unpacks it beside itself).
     *
     * @throws ArtifactException when the download fails or the bytes do not hash to {@code expectedSha256}
     */
    public Path download(ModelKey key, String expectedSha256) {
        String expected = expectedSha256.toLowerCase(Locale.ROOT);
        URI url = artifactUri(key);
        Path target = cacheDir.resolve(safeName(key.name()) + "-" + key.version() + "-" + expected + ".onnx");
        Path partial = null;
        try {
            Files.createDirectories(cacheDir);
            partial = Files.createTempFile(cacheDir, safeName(key.name()) + "-", ".part");
            HttpRequest request = HttpRequest.newBuilder(url)
                    .header("Authorization", "Bearer " + bearerToken.get())
                    .timeout(Duration.ofMinutes(10))
                    .GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ArtifactException("the control plane answered HTTP " + response.statusCode()
                            + " for the artifact of " + key, false);
                }
                try (OutputStream out = Files.newOutputStream(partial)) {
                    byte[] chunk = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(chunk)) > 0) {
                        digest.update(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected)) {
                throw new ArtifactException("sha256 mismatch for " + key + ": expected " + expected + ", got " + actual, true);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            return target;
        } catch (IOException e) {
            throw new ArtifactException("the artifact download of " + key + " failed: " + describe(e), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("the artifact download of " + key + " was interrupted", false);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (partial != null) {
                deleteQuietly(partial);
            }
        }
    }

    /** What went wrong in words, not the exception's class (the reason ends up in API answers). */
    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "the control plane refused the connection";
        }
        if (e instanceof HttpTimeoutException) {
            return "the control plane did not answer in time";
        }
        return "the connection to the control plane broke";
    }

    /** Removes a downloaded artifact and, for a zip archive, the directory the engine unpacked it into. */
    static void deleteQuietly(Path file) {
        ModelArchive.deleteUnpacked(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover cache file is harmless; the next load of the same version overwrites it.
        }
    }

    /** A file-name-safe form of a model name, short enough for any file system with the rest of the name. */
    private static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.length() > 100 ? safe.substring(0, 100) : safe;
    }
}
