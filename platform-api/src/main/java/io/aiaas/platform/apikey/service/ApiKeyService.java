package io.aiaas.platform.apikey.service;

import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.apikey.persistence.ApiKeyEntity;
import io.aiaas.platform.apikey.persistence.ApiKeyRepository;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Issues, lists and revokes a tenant's API keys. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<ApiKeyRevoked> revoked;

    ApiKeyService(ApiKeyRepository keys, AuditLog audit, ChangeNotifications notifications,
            Event<ApiKeyRevoked> revoked) {
        this.keys = keys;
        this.audit = audit;
        this.notifications = notifications;
        this.revoked = revoked;
    }

    @Transactional
    public CreatedApiKey create(TenantAccess access, CreateApiKeyRequest request) {
        String secret = ApiKeys.generate();
        ApiKeyEntity key = new ApiKeyEntity();
        key.id = UUID.randomUUID();
        key.tenantId = access.tenantId();
        key.name = request.name().trim();
        key.prefix = ApiKeys.displayPrefix(secret);
        key.lastFour = ApiKeys.lastFour(secret);
        key.keyHash = ApiKeys.hash(secret);
        key.createdBy = access.caller().actor();
        key.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        key.expiresAt = request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MICROS);
        keys.persist(key);
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.created", "api_key",
                key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix, "last_four", key.lastFour));
        return new CreatedApiKey(key.id, key.name, secret, key.prefix, key.lastFour, key.createdAt, key.expiresAt);
    }

    @Transactional
    public List<ApiKeyView> list(TenantAccess access) {
        Instant now = Instant.now();
        return keys.listByTenant(access.tenantId()).stream().map(k -> view(k, now)).toList();
    }

    /**
     * Revokes a key of this tenant; revoking twice keeps the first time. A key of another tenant is not found. Every
     * replica drops the key from its cache when the revocation commits (NOTIFY).
     */
    @Transactional
    public void revoke(TenantAccess access, UUID keyId) {
        ApiKeyEntity key = keys.findInTenant(access.tenantId(), keyId)
                .orElseThrow(() -> ApiException.notFound("api_key_not_found", "No API key " + keyId
                        + " in tenant '" + access.slug() + "'"));
        if (key.revokedAt != null) {
            return;
        }
        key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.revoked", "api_key",
                key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix));
        notifications.publish(ApiKeyRevoked.CHANNEL, key.id.toString());
        revoked.fire(new ApiKeyRevoked(key.id, key.tenantId, key.keyHash));
    }

    static ApiKeyView view(ApiKeyEntity k, Instant now) {
        String status = k.revokedAt != null ? "revoked"
                : k.expiresAt != null && !k.expiresAt.isAfter(now) ? "expired" : "active";
        return new ApiKeyView(k.id, k.name, k.prefix, k.lastFour, status, k.createdBy, k.createdAt, k.expiresAt,
                k.revokedAt, k.lastUsedAt);
    }
}
