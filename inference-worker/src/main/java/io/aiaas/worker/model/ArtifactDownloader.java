package io.aiaas.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Streams a model artifact from the control plane into the cache directory, hashing it on the way,
 * and keeps the file only when its sha256 matches.
 */
public final class ArtifactDownloader {

    private final HttpClient http;
    private final Supplier<String> bearerToken;
    private final Path cacheDir;

    public ArtifactDownloader(Supplier<String> bearerToken, Path cacheDir) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // plain HTTP/1.1, no h2c upgrade round on every new connection
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.bearerToken = bearerToken;
        this.cacheDir = cacheDir;
    }

    /**
     * Downloads {@code url} to {@code <cacheDir>/<name>-<version>-<sha256>.onnx}.
     *
     * @throws ArtifactException when the download fails or the bytes do not hash to {@code expectedSha256}
     */
    public Path download(ModelKey key, URI url, String expectedSha256) {
        String expected = expectedSha256.toLowerCase(Locale.ROOT);
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
                    throw new ArtifactException("artifact download from " + url + " answered HTTP " + response.statusCode(), false);
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
            throw new ArtifactException("artifact download from " + url + " failed: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("artifact download from " + url + " was interrupted", false);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (partial != null) {
                deleteQuietly(partial);
            }
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover cache file is harmless; the next load of the same version overwrites it.
        }
    }

    private static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
