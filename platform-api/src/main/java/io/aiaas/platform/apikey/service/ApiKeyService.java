package io.aiaas.platform.apikey.service;

import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.apikey.persistence.ApiKeyEntity;
import io.aiaas.platform.apikey.persistence.ApiKeyRepository;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.model.service.VisibleModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/** Issues, lists, rotates and revokes a tenant's API keys. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final VisibleModels visibleModels;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<ApiKeyChanged> changed;

    ApiKeyService(ApiKeyRepository keys, VisibleModels visibleModels, AuditLog audit,
            ChangeNotifications notifications, Event<ApiKeyChanged> changed) {
        this.keys = keys;
        this.visibleModels = visibleModels;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
    }

    /**
     * Issues a key. With {@code models} it may call only those (sorted, without repeats), each of which must be a
     * model the tenant may call now (400 {@code unknown_model} naming the entry otherwise; another tenant's private
     * model reads exactly like a missing one).
     */
    @Transactional
    public CreatedApiKey create(TenantAccess access, CreateApiKeyRequest request) {
        return issue(access, request.name().trim(), request.expiresAt() == null ? null
                : request.expiresAt().truncatedTo(ChronoUnit.MICROS), reach(access, request.models()), null);
    }

    private String[] reach(TenantAccess access, List<String> models) {
        if (models == null) {
            return null;
        }
        List<Problem.Violation> unknown = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (visibleModels.findUncached(access.tenantId(), models.get(i)).isEmpty()) {
                unknown.add(new Problem.Violation("models[" + i + "]", "no model '" + models.get(i)
                        + "' is available to tenant '" + access.slug() + "'"));
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.invalid("unknown_model", unknown);
        }
        return new TreeSet<>(models).toArray(String[]::new);
    }

    /**
     * Replaces a key: a new key with the same name (and the old expiry when that is later than the overlap's end)
     * is issued, and the old key expires when the overlap ends (or earlier, if it already did), in one transaction.
     * Every replica picks up the old key's new expiry when the change commits (NOTIFY), as with a revocation.
     *
     * @param overlapSeconds how long the old key keeps working, 0 to {@link RotateApiKeyRequest#MAX_OVERLAP_SECONDS}
     * @throws ApiException 404 {@code api_key_not_found} (also for another tenant's key), 409 {@code key_not_active}
     *         for a revoked or expired key
     */
    @Transactional
    public CreatedApiKey rotate(TenantAccess access, UUID keyId, long overlapSeconds) {
        // the row lock makes concurrent rotations of one key take turns: the second finds it rotated, not active
        ApiKeyEntity old = keys.findInTenantForUpdate(access.tenantId(), keyId).orElseThrow(() -> notFound(access,
                keyId));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        requireActive(old, now, "rotated");
        Instant overlapEnd = now.plusSeconds(overlapSeconds);
        Instant previousExpiry = old.expiresAt;
        boolean keepsLaterExpiry = previousExpiry != null && previousExpiry.isAfter(overlapEnd);
        CreatedApiKey created = issue(access, old.name, keepsLaterExpiry ? previousExpiry : null, old.models, old.id);
        old.expiresAt = keepsLaterExpiry || previousExpiry == null ? overlapEnd : previousExpiry;
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.rotated", "api_key",
                old.id.toString(), Constraints.json("name", old.name, "prefix", old.prefix, "new_key_id",
                        created.id().toString(), "overlap_seconds", overlapSeconds, "expires_at",
                        old.expiresAt.toString()));
        if (!old.expiresAt.equals(previousExpiry)) {
            announce(old);
        }
        return created;
    }

    /**
     * Replaces the models a key may call ({@code null}: every model), checked as when issuing; every replica's gateway
     * uses the new list once the change commits (NOTIFY), as for a revocation. The same list again changes nothing.
     *
     * @throws ApiException 400 {@code unknown_model}, 404 {@code api_key_not_found} (also for another tenant's key),
     *         409 {@code key_not_active} for a revoked or expired key
     */
    @Transactional
    public ApiKeyView replaceModels(TenantAccess access, UUID keyId, List<String> models) {
        ApiKeyEntity key = keys.findInTenantForUpdate(access.tenantId(), keyId).orElseThrow(() -> notFound(access,
                keyId));
        Instant now = Instant.now();
        requireActive(key, now, "given other models");
        String[] reach = reach(access, models);
        if (!Arrays.equals(reach, key.models)) {
            List<String> before = models(key);
            key.models = reach;
            audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.models_changed",
                    "api_key", key.id.toString(), Constraints.json(modelsChange(key.name, before, models(key))));
            announce(key);
        }
        return view(key, now);
    }

    /** Audit details of a model list change; a null list (every model) is written as null, not left out. */
    private static Map<String, Object> modelsChange(String name, List<String> from, List<String> to) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        details.put("from", from);
        details.put("to", to);
        return details;
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
        ApiKeyEntity key = keys.findInTenant(access.tenantId(), keyId).orElseThrow(() -> notFound(access, keyId));
        if (key.revokedAt != null) {
            return;
        }
        key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.revoked", "api_key",
                key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix));
        announce(key);
    }

    private CreatedApiKey issue(TenantAccess access, String name, Instant expiresAt, String[] models,
            UUID rotatedFrom) {
        String secret = ApiKeys.generate();
        ApiKeyEntity key = new ApiKeyEntity();
        key.id = UUID.randomUUID();
        key.tenantId = access.tenantId();
        key.name = name;
        key.prefix = ApiKeys.displayPrefix(secret);
        key.lastFour = ApiKeys.lastFour(secret);
        key.keyHash = ApiKeys.hash(secret);
        key.createdBy = access.caller().actor();
        key.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        key.expiresAt = expiresAt;
        key.models = models;
        keys.persist(key);
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.created", "api_key",
                key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix, "last_four", key.lastFour,
                        "rotated_from", rotatedFrom == null ? null : rotatedFrom.toString(), "models", models(key)));
        return new CreatedApiKey(key.id, key.name, secret, key.prefix, key.lastFour, key.createdAt, key.expiresAt,
                models(key));
    }

    /** Every replica's key cache drops the key when the transaction commits: this one by event, others by NOTIFY. */
    private void announce(ApiKeyEntity key) {
        notifications.publish(ApiKeyChanged.CHANNEL, key.id.toString());
        changed.fire(new ApiKeyChanged(key.id, key.tenantId, key.keyHash));
    }

    private static ApiException notFound(TenantAccess access, UUID keyId) {
        return ApiException.notFound("api_key_not_found", "No API key " + keyId + " in tenant '" + access.slug()
                + "'");
    }

    /** revoked, expired or active at {@code now}. */
    private static String status(ApiKeyEntity k, Instant now) {
        return k.revokedAt != null ? "revoked" : k.expiresAt != null && !k.expiresAt.isAfter(now) ? "expired"
                : "active";
    }

    /** 409 {@code key_not_active} for a revoked or expired key: only an active one can be {@code changed}. */
    private static void requireActive(ApiKeyEntity key, Instant now, String changed) {
        String status = status(key, now);
        if (!"active".equals(status)) {
            throw ApiException.conflict("key_not_active", "API key " + key.id + " is " + status
                    + "; only an active key can be " + changed);
        }
    }

    static ApiKeyView view(ApiKeyEntity k, Instant now) {
        String status = status(k, now);
        return new ApiKeyView(k.id, k.name, k.prefix, k.lastFour, status, k.createdBy, k.createdAt, k.expiresAt,
                k.revokedAt, k.lastUsedAt, models(k));
    }

    private static List<String> models(ApiKeyEntity key) {
        return key.models == null ? null : List.of(key.models);
    }
}
