package io.aiaas.platform.testsupport;

import io.aiaas.onnx.builder.TestModels;
import io.aiaas.platform.apikey.service.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Rows for gateway tests written straight into PostgreSQL (through {@link TestDb}): tenants, keys, models with a real
 * ONNX file. Names are random, so tests sharing the application never see each other's data. Changes "made by another
 * replica" ({@link #revoke}, {@link #setStatus}) send the NOTIFY that replica would send, and nothing in this process.
 */
@ApplicationScoped
public class Fixtures {

    /** The linear test model served by {@link FakeWorker}: x FP32 [-1, 3] to y FP32 [-1, 2]. */
    public static final TestModels.Linear LINEAR = TestModels.linear();
    public static final String LINEAR_SIGNATURE = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 3]}],
             "outputs": [{"name": "y", "datatype": "FP32", "shape": [-1, 2]}]}""";

    public record Tenant(UUID id, String slug) {
    }

    public record Model(UUID id, String name, UUID versionId, int version, Path file, String sha256, long size) {
    }

    private final TestDb db;

    Fixtures(TestDb db) {
        this.db = db;
    }

    public Tenant tenant() {
        Tenant tenant = new Tenant(UUID.randomUUID(), Api.unique("t"));
        db.update("INSERT INTO tenants (id, slug, name) VALUES (?, ?, ?)", tenant.id(), tenant.slug(), tenant.slug());
        return tenant;
    }

    /** A new key of the tenant; answers the secret. */
    public String key(Tenant tenant, OffsetDateTime expiresAt) {
        String key = ApiKeys.generate();
        db.update("""
                INSERT INTO api_keys (id, tenant_id, name, prefix, last_four, key_hash, expires_at)
                VALUES (?, ?, 'test', ?, ?, ?, ?)""", UUID.randomUUID(), tenant.id(), ApiKeys.displayPrefix(key),
                ApiKeys.lastFour(key), ApiKeys.hash(key), expiresAt);
        return key;
    }

    public String key(Tenant tenant) {
        return key(tenant, null);
    }

    public UUID keyId(String key) {
        return (UUID) db.value("SELECT id FROM api_keys WHERE key_hash = ?", ApiKeys.hash(key));
    }

    /** Revokes as another replica would: in the database, with its NOTIFY, and no event in this process. */
    public void revoke(String key) {
        db.query("""
                WITH r AS (UPDATE api_keys SET revoked_at = now() WHERE key_hash = ? RETURNING id)
                SELECT pg_notify('aiaas_api_key_changed', id::text) FROM r""", ApiKeys.hash(key));
    }

    /** Revokes with a plain UPDATE, as if the NOTIFY had been lost: only the cache TTL can bring it here. */
    public void revokeWithoutNotify(String key) {
        db.update("UPDATE api_keys SET revoked_at = now() WHERE key_hash = ?", ApiKeys.hash(key));
    }

    /** Changes a tenant's status as another replica would: in the database, with its NOTIFY. */
    public void setStatus(Tenant tenant, String status) {
        db.query("""
                WITH t AS (UPDATE tenants SET status = ? WHERE id = ? RETURNING id)
                SELECT pg_notify('aiaas_tenant_changed', id::text) FROM t""", status, tenant.id());
    }

    /** Changes a tenant's status with a plain UPDATE, as if the NOTIFY had been lost. */
    public void setStatusWithoutNotify(Tenant tenant, String status) {
        db.update("UPDATE tenants SET status = ? WHERE id = ?", status, tenant.id());
    }

    /** A model with one READY version holding the {@link #LINEAR} ONNX file. */
    public Model model(String visibility, Tenant owner) {
        return model(Api.unique("m"), visibility, owner, 1);
    }

    /** Version {@code version} of the named model (created when missing), READY, holding the {@link #LINEAR} file. */
    public Model model(String name, String visibility, Tenant owner, int version) {
        UUID modelId = (UUID) db.queryFirst("SELECT id FROM models WHERE name = ?", name)
                .map(row -> row.get("id")).orElse(null);
        if (modelId == null) {
            modelId = UUID.randomUUID();
            db.update("INSERT INTO models (id, name, visibility, owner_tenant_id) VALUES (?, ?, ?, ?)", modelId, name,
                    visibility, owner == null ? null : owner.id());
        }
        byte[] onnx = LINEAR.onnx();
        try {
            Path file = Files.createTempFile("gateway-test-", ".onnx");
            Files.write(file, onnx);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
            UUID versionId = UUID.randomUUID();
            db.update("""
                    INSERT INTO model_versions (id, model_id, version, sha256, size_bytes, storage_path, signature, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, 'READY')""", versionId, modelId, version, sha,
                    (long) onnx.length, file.toAbsolutePath().toString(), LINEAR_SIGNATURE);
            return new Model(modelId, name, versionId, version, file, sha, onnx.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
