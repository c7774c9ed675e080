package io.aiaas.platform.model.service;

import io.aiaas.engine.ModelArchive;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.model.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The artifact store on the local file system: uploads stream into {@code incoming/}, are hashed on the way, and
 * are moved to {@code <model id>/<version id>.onnx} (a zip archive: {@code .zip}, with the directory it was unpacked
 * into beside it, {@link ModelArchive}) once they are accepted.
 */
@ApplicationScoped
public class ModelStorage {

    private static final Logger LOG = Logger.getLogger(ModelStorage.class);
    private static final int BUFFER = 64 * 1024;

    /** A fully received upload in its temporary place. */
    public record Received(Path path, String sha256, long sizeBytes) {
    }

    private final StorageConfig config;

    ModelStorage(StorageConfig config) {
        this.config = config;
    }

    /**
     * Streams the body into a temporary file, computing its SHA-256; never holds more than one buffer in memory.
     *
     * @throws ApiException 413 when more than maxBytes arrive, 400 when the body breaks off, 503 when the storage
     *     cannot take it (the partial file is removed in every case)
     */
    public Received receive(InputStream body, long maxBytes) {
        Path incoming = root().resolve("incoming");
        Path temp = incoming.resolve(UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(incoming);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long total = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = read(body, buffer)) != -1) {
                    total += n;
                    if (total > maxBytes) {
                        throw ApiException.tooLarge("The model file is larger than the limit of " + maxBytes
                                + " bytes (aiaas.models.max-upload-bytes)");
                    }
                    out.write(buffer, 0, n);
                }
            }
            return new Received(temp, HexFormat.of().formatHex(sha.digest()), total);
        } catch (IOException e) {
            delete(temp);
            throw ApiException.unavailable("storage_unavailable", "The model file could not be stored; retry later",
                    e);
        } catch (NoSuchAlgorithmException e) {
            delete(temp);
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            delete(temp);
            throw e;
        }
    }

    /** Reads from the client; a body that breaks off is the client's problem, unlike a disk that fails. */
    private static int read(InputStream body, byte[] buffer) {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw ApiException.badRequest("body_incomplete", "The upload ended before the whole body arrived");
        }
    }

    /**
     * Moves an accepted upload (and what it was unpacked into, for an archive) to its final place and answers the
     * path relative to the storage directory.
     */
    public String place(Path received, UUID modelId, UUID versionId) {
        try {
            String relative = modelId + "/" + versionId + (ModelArchive.isArchive(received) ? ".zip" : ".onnx");
            Path target = root().resolve(relative);
            Files.createDirectories(target.getParent());
            ModelArchive.move(received, target);
            return relative;
        } catch (IOException e) {
            throw ApiException.unavailable("storage_unavailable", "The model file could not be stored; retry later",
                    e);
        }
    }

    /** The absolute path of a stored artifact. */
    public Path resolve(String relative) {
        return root().resolve(relative).normalize();
    }

    /**
     * Removes a file if it exists, and what an archive was unpacked into; failures are logged, never thrown (used on
     * cleanup paths).
     */
    public void delete(Path file) {
        if (file == null) {
            return;
        }
        ModelArchive.deleteUnpacked(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", file, e.getMessage());
        }
    }

    /** How old an upload's leftovers must be before a starting replica removes them (others may be uploading). */
    static final Duration STALE_AFTER = Duration.ofHours(24);

    void removeStaleLeftovers(@Observes StartupEvent event) {
        int removed = removeLeftoversOlderThan(Instant.now().minus(STALE_AFTER));
        if (removed > 0) {
            LOG.infof("Removed %d uploads and unpacked archives a stopped process left in %s", removed, root());
        }
    }

    /**
     * Removes what a process killed during an upload or while unpacking a stored archive left behind, untouched since
     * {@code before}: files and unpacked directories in {@code incoming/}, and half-unpacked {@code *.unpacking}
     * directories beside stored archives. Replicas share this directory, so only what is old enough to belong to no
     * upload under way goes.
     *
     * @return how many were removed
     */
    public int removeLeftoversOlderThan(Instant before) {
        int removed = 0;
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> incoming = Files.isDirectory(root().resolve("incoming"))
                ? Files.list(root().resolve("incoming")) : Stream.empty()) {
            incoming.forEach(candidates::add);
        } catch (IOException e) {
            LOG.warnf("Could not list %s: %s", root().resolve("incoming"), e.getMessage());
        }
        try (Stream<Path> stored = Files.isDirectory(root()) ? Files.walk(root(), 2) : Stream.empty()) {
            stored.filter(p -> p.getFileName().toString().endsWith(".unpacking")).forEach(candidates::add);
        } catch (IOException e) {
            LOG.warnf("Could not list %s: %s", root(), e.getMessage());
        }
        for (Path leftover : candidates) {
            try {
                if (Files.getLastModifiedTime(leftover).toInstant().isBefore(before)) {
                    try (Stream<Path> tree = Files.walk(leftover)) {
                        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                    removed++;
                }
            } catch (IOException e) {
                LOG.warnf("Could not remove %s: %s", leftover, e.getMessage());
            }
        }
        return removed;
    }

    public Path root() {
        return config.dir().toAbsolutePath();
    }
}
