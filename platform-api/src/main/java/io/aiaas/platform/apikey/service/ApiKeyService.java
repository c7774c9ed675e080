package io.aiaas.platform.apikey.service;

import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.apikey.persistence.ApiKeyEntity;
import io.aiaas.platform.apikey.persistence.ApiKeyRepository;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ResourceNotFoundException;
import io.aiaas.platform.common.persistence.Constraints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Issues, lists and revokes a tenant's API keys. */
@ApplicationScoped
public class ApiKeyService {

    @Inject
    ApiKeyRepository keys;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    @Inject
    Event<ApiKeyRevoked> revoked;

    @Inject
    TransactionSynchronizationRegistry transactions;

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

    /** Revokes a key of this tenant; revoking twice keeps the first time. A key of another tenant is not found. */
    @Transactional
    public void revoke(TenantAccess access, UUID keyId) {
        ApiKeyEntity key = keys.findInTenant(access.tenantId(), keyId)
                .orElseThrow(() -> new ResourceNotFoundException("api_key_not_found", "No API key " + keyId
                        + " in tenant '" + access.slug() + "'"));
        if (key.revokedAt != null) {
            return;
        }
        key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.revoked", "api_key",
                key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix));
        // delivered to listeners on every replica when (and only if) this transaction commits
        em.createNativeQuery("SELECT CAST(pg_notify(:channel, :payload) AS text)")
                .setParameter("channel", ApiKeyRevoked.CHANNEL)
                .setParameter("payload", key.id.toString())
                .getSingleResult();
        ApiKeyRevoked event = new ApiKeyRevoked(key.id, key.tenantId, key.keyHash);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    revoked.fire(event);
                }
            }
        });
    }

    static ApiKeyView view(ApiKeyEntity k, Instant now) {
        String status = k.revokedAt != null ? "revoked"
                : k.expiresAt != null && !k.expiresAt.isAfter(now) ? "expired" : "active";
        return new ApiKeyView(k.id, k.name, k.prefix, k.lastFour, status, k.createdBy, k.createdAt, k.expiresAt,
                k.revokedAt, k.lastUsedAt);
    }
}
