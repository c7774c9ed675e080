package io.aiaas.platform.worker.service;

import io.agroal.api.AgroalDataSource;
import io.aiaas.platform.model.service.ModelStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Finds the stored file of a READY model version for download by workers. */
@ApplicationScoped
public class ArtifactStore {

    private static final String FIND = """
            SELECT v.storage_path, v.sha256, v.size_bytes FROM model_versions v JOIN models m ON m.id = v.model_id
            WHERE m.name = ? AND v.version = ? AND v.status = 'READY'""";

    /** A file to send and what the worker checks it against. */
    public record Artifact(Path path, String sha256, long sizeBytes) {
    }

    private final AgroalDataSource dataSource;
    private final ModelStorage storage;

    ArtifactStore(AgroalDataSource dataSource, ModelStorage storage) {
        this.dataSource = dataSource;
        this.storage = storage;
    }

    public Optional<Artifact> find(String name, int version) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(FIND)) {
            s.setString(1, name);
            s.setInt(2, version);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Path path = storage.resolve(rs.getString(1));
                if (!Files.isRegularFile(path)) {
                    return Optional.empty();
                }
                return Optional.of(new Artifact(path, rs.getString(2).strip(), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("artifact lookup failed: " + e.getMessage(), e);
        }
    }
}
