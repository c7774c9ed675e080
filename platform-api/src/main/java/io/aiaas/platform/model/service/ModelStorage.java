package io.aiaas.platform.model.service;

import io.aiaas.platform.common.error.PayloadTooLargeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The artifact store on the local file system: uploads stream into {@code incoming/}, are hashed on the way, and
 * are moved to {@code <model id>/<version id>.onnx} once they are accepted.
 */
@ApplicationScoped
public class ModelStorage {

    private static final Logger LOG = Logger.getLogger(ModelStorage.class);
    private static final int BUFFER = 64 * 1024;

    /** A fully received upload in its temporary place. */
    public record Received(Path path, String sha256, long sizeBytes) {
    }

    @Inject
    StorageConfig config;

    /**
     * Streams the body into a temporary file, computing its SHA-256; never holds more than one buffer in memory.
     *
     * @throws PayloadTooLargeException when more than maxBytes arrive (the partial file is removed)
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
                while ((n = body.read(buffer)) != -1) {
                    total += n;
                    if (total > maxBytes) {
                        throw new PayloadTooLargeException("The model file is larger than the limit of " + maxBytes
                                + " bytes (aiaas.models.max-upload-bytes)");
                    }
                    out.write(buffer, 0, n);
                }
            }
            return new Received(temp, HexFormat.of().formatHex(sha.digest()), total);
        } catch (IOException e) {
            delete(temp);
            throw new UncheckedIOException("Could not store the upload: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            delete(temp);
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            delete(temp);
            throw e;
        }
    }

    /** Moves an accepted upload to its final place and answers the path relative to the storage directory. */
    public String place(Path received, UUID modelId, UUID versionId) {
        String relative = modelId + "/" + versionId + ".onnx";
        Path target = root().resolve(relative);
        try {
            Files.createDirectories(target.getParent());
            Files.move(received, target, StandardCopyOption.ATOMIC_MOVE);
            return relative;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the model file: " + e.getMessage(), e);
        }
    }

    /** The absolute path of a stored artifact. */
    public Path resolve(String relative) {
        return root().resolve(relative).normalize();
    }

    /** Removes a file if it exists; failures are logged, never thrown (used on cleanup paths). */
    public void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", file, e.getMessage());
        }
    }

    public Path root() {
        return config.dir().toAbsolutePath();
    }
}
