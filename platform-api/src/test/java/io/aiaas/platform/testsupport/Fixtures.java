package io.aiaas.platform.testsupport;

import io.aiaas.platform.apikey.service.ApiKeys;
import io.aiaas.onnx.builder.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Rows for gateway tests written straight into PostgreSQL: tenants, keys, models with a real ONNX file. Names are
 * random, so tests sharing the application never see each other's data.
 */
public final class Fixtures {

    /** The linear test model served by {@link FakeWorker}: x FP32 [-1, 3] to y FP32 [-1, 2]. */
    public static final TestModels.Linear LINEAR = TestModels.linear();
    public static final String LINEAR_SIGNATURE = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 3]}],
             "outputs": [{"name": "y", "datatype": "FP32", "shape": [-1, 2]}]}""";

    public record Tenant(UUID id, String slug) {
    }

    public record Model(UUID id, String name, UUID versionId, int version, Path file, String sha256, long size) {
    }

    private final DataSource dataSource;

    public Fixtures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Tenant tenant() {
        Tenant tenant = new Tenant(UUID.randomUUID(), unique("t"));
        update("INSERT INTO tenants (id, slug, name) VALUES (?, ?, ?)", tenant.id(), tenant.slug(), tenant.slug());
        return tenant;
    }

    /** A new key of the tenant; answers the secret. */
    public String key(Tenant tenant, OffsetDateTime expiresAt) {
        String key = ApiKeys.generate();
        update("""
                INSERT INTO api_keys (id, tenant_id, name, prefix, last_four, key_hash, expires_at)
                VALUES (?, ?, 'test', ?, ?, ?, ?)""", UUID.randomUUID(), tenant.id(), ApiKeys.displayPrefix(key),
                ApiKeys.lastFour(key), ApiKeys.hash(key), expiresAt);
        return key;
    }

    public String key(Tenant tenant) {
        return key(tenant, null);
    }

    public UUID keyId(String key) {
        return (UUID) queryOne("SELECT id FROM api_keys WHERE key_hash = ?", ApiKeys.hash(key)).get("id");
    }

    /** Revokes as another replica would: in the database, with its NOTIFY, and no event in this process. */
    public void revoke(String key) {
        query("""
                WITH r AS (UPDATE api_keys SET revoked_at = now() WHERE key_hash = ? RETURNING id)
                SELECT pg_notify('aiaas_api_key_revoked', id::text) FROM r""", ApiKeys.hash(key));
    }

    /** Changes a tenant's status as another replica would: in the database, with its NOTIFY. */
    public void setStatus(Tenant tenant, String status) {
        query("""
                WITH t AS (UPDATE tenants SET status = ? WHERE id = ? RETURNING id)
                SELECT pg_notify('aiaas_tenant_changed', id::text) FROM t""", status, tenant.id());
    }

    /** A model with one READY version holding the {@link #LINEAR} ONNX file. */
    public Model model(String visibility, Tenant owner) {
        return model(unique("m"), visibility, owner, 1);
    }

    public Model model(String name, String visibility, Tenant owner, int version) {
        UUID modelId = (UUID) queryOptional("SELECT id FROM models WHERE name = ?", name)
                .map(row -> row.get("id")).orElse(null);
        if (modelId == null) {
            modelId = UUID.randomUUID();
            update("INSERT INTO models (id, name, visibility, owner_tenant_id) VALUES (?, ?, ?, ?)", modelId, name,
                    visibility, owner == null ? null : owner.id());
        }
        byte[] onnx = LINEAR.onnx();
        try {
            Path file = Files.createTempFile("gateway-test-", ".onnx");
            Files.write(file, onnx);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
            UUID versionId = UUID.randomUUID();
            update("""
                    INSERT INTO model_versions (id, model_id, version, sha256, size_bytes, storage_path, signature, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, 'READY')""", versionId, modelId, version, sha,
                    (long) onnx.length, file.toAbsolutePath().toString(), LINEAR_SIGNATURE);
            return new Model(modelId, name, versionId, version, file, sha, onnx.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Map<String, Object>> usage(UUID requestId) {
        return query("SELECT * FROM usage_records WHERE request_id = ?", requestId);
    }

    public List<Map<String, Object>> usageOfKey(String key) {
        return query("SELECT * FROM usage_records WHERE api_key_id = ? ORDER BY started_at", keyId(key));
    }

    public int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> queryOne(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size() + ": " + sql);
        }
        return rows.get(0);
    }

    private java.util.Optional<Map<String, Object>> queryOptional(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        return rows.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rows.get(0));
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }
}
