package io.aiaas.platform.worker.service;

import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.model.service.ModelRefs;
import io.aiaas.platform.model.service.ModelStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private final Jdbc jdbc;
    private final ModelStorage storage;

    ArtifactStore(Jdbc jdbc, ModelStorage storage) {
        this.jdbc = jdbc;
        this.storage = storage;
    }

    /** The file of a READY version; empty when there is none (or the name cannot be a model's). */
    public Optional<Artifact> find(String name, String version) {
        Integer number = ModelRefs.versionOrNull(version);
        if (!ModelRefs.isValidName(name) || number == null) {
            return Optional.empty();
        }
        return jdbc.queryFirst(FIND, rs -> new Artifact(storage.resolve(rs.getString(1)), rs.getString(2).strip(),
                rs.getLong(3)), name, number).filter(a -> Files.isRegularFile(a.path()));
    }
}
