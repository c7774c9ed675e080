package io.aiaas.platform.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The models a tenant may call, with their READY versions and signatures: public ones and its own private ones (the
 * same rule as {@code ModelVersionRepository#listReadyVisibleTo}, which serves the tenant's model list; change both
 * together), in one cached query that also lists the versions the metadata answer needs. Lookups are cached as briefly as API keys, so an upload or a retirement is seen within the
 * same bound without a query per request.
 */
@ApplicationScoped
public class VisibleModels {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final String VISIBLE = """
            SELECT m.id, m.name, v.id, v.version, v.signature::text
            FROM models m JOIN model_versions v ON v.model_id = m.id
            WHERE m.name = ? AND v.status = 'READY' AND (m.visibility = 'PUBLIC' OR m.owner_tenant_id = ?)
            ORDER BY v.version DESC""";

    /** A model as one tenant sees it: only READY versions, newest first; never empty. */
    public record VisibleModel(UUID id, String name, List<VisibleVersion> versions) {

        /** The requested version, or the newest when {@code version} is null. */
        public Optional<VisibleVersion> version(Integer version) {
            if (version == null) {
                return Optional.of(versions.get(0));
            }
            return versions.stream().filter(v -> v.version() == version).findFirst();
        }
    }

    /** A READY version and its signature ({@code {"inputs": [...], "outputs": [...]}}). */
    public record VisibleVersion(UUID id, int version, JsonNode signature) {
    }

    private record Key(UUID tenantId, String name) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Cache<Key, Optional<VisibleModel>> cache;

    VisibleModels(AgroalDataSource dataSource, ObjectMapper json, GatewayConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.keyCacheTtl()).maximumSize(50_000).build();
    }

    /** The model if it exists, has a READY version and the tenant may see it; empty otherwise (never "forbidden"). */
    public Optional<VisibleModel> find(UUID tenantId, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return cache.get(new Key(tenantId, name), this::load);
    }

    private Optional<VisibleModel> load(Key key) {
        List<VisibleVersion> versions = new ArrayList<>();
        UUID modelId = null;
        String name = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(VISIBLE)) {
            s.setString(1, key.name());
            s.setObject(2, key.tenantId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    modelId = rs.getObject(1, UUID.class);
                    name = rs.getString(2);
                    versions.add(new VisibleVersion(rs.getObject(3, UUID.class), rs.getInt(4),
                            signature(rs.getString(5))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("model lookup failed: " + e.getMessage(), e);
        }
        return versions.isEmpty() ? Optional.empty()
                : Optional.of(new VisibleModel(modelId, name, List.copyOf(versions)));
    }

    private JsonNode signature(String text) {
        if (text == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
