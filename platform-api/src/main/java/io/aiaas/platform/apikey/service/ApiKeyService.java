package io.aiaas.platform.apikey.service;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.apikey.persistence.ApiKeyEntity;
import io.aiaas.platform.apikey.persistence.ApiKeyRepository;
import io.aiaas.platform.apikey.persistence.KeySpendRepository;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.events.CapsReached;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.net.Network;
import io.aiaas.platform.limits.service.Limits;
import io.aiaas.platform.model.service.VisibleModels;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.plan.service.Amounts;
import io.aiaas.platform.plan.service.TenantPlans;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import io.aiaas.platform.tenant.service.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Issues, lists, rotates and revokes a tenant's API keys, and sets what each may call and spend. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final VisibleModels visibleModels;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<ApiKeyChanged> changed;
    private final KeySpendRepository spend;
    private final TenantPlans plans;
    private final ApiKeyExpiryNotices expiryNotices;
    private final CapsReached capsReached;
    private final TenantRepository tenants;

    ApiKeyService(ApiKeyRepository keys, VisibleModels visibleModels, AuditLog audit,
            ChangeNotifications notifications, Event<ApiKeyChanged> changed, KeySpendRepository spend,
            TenantPlans plans, ApiKeyExpiryNotices expiryNotices, CapsReached capsReached,
            TenantRepository tenants) {
        this.keys = keys;
        this.tenants = tenants;
        this.capsReached = capsReached;
        this.expiryNotices = expiryNotices;
        this.spend = spend;
        this.plans = plans;
        this.visibleModels = visibleModels;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
    }

    /**
     * Issues a key. With {@code models} it may call only those (sorted, without repeats), each of which must be a
     * model the tenant may call now (400 {@code unknown_model} naming the entry otherwise; another tenant's private
     * model reads exactly like a missing one). With {@code monthly_budget_micros} its calls stop at that spend per
     * billing period (429 {@code key_budget_exceeded}).
     */
    @Transactional
    public CreatedApiKey create(TenantAccess access, CreateApiKeyRequest request) {
        requireOpen(access);
        return issue(access, request.name().trim(), request.expiresAt() == null ? null
                : request.expiresAt().truncatedTo(ChronoUnit.MICROS), reach(access, request.models()), null,
                request.monthlyBudgetMicros(), request.requestsPerMinute(), canonicalNetworks(request.allowedNetworks()));
    }

    /**
     * The networks canonical ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) and without repeats, in the order given;
     * null for anywhere. 400 {@code validation_failed} naming each entry that is not an address or network, or has
     * bits set beyond its prefix.
     */
    static String[] canonicalNetworks(List<String> given) {
        if (given == null) {
            return null;
        }
        Set<String> canonical = new LinkedHashSet<>();
        List<Problem.Violation> invalid = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            try {
                canonical.add(Network.parse(given.get(i)).toString());
            } catch (Network.InvalidNetwork e) {
                invalid.add(new Problem.Violation("allowed_networks[" + i + "]", e.getMessage()));
            }
        }
        if (!invalid.isEmpty()) {
            throw ApiException.invalid("validation_failed", invalid);
        }
        return canonical.toArray(String[]::new);
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
        requireOpen(access); // before the key's lock, in the order a close takes them
        // the row lock makes concurrent rotations of one key take turns: the second finds it rotated, not active
        ApiKeyEntity old = keys.findInTenantForUpdate(access.tenantId(), keyId).orElseThrow(() -> notFound(access,
                keyId));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        requireLive(old, now, "rotated");
        Instant overlapEnd = now.plusSeconds(overlapSeconds);
        Instant previousExpiry = old.expiresAt;
        boolean keepsLaterExpiry = previousExpiry != null && previousExpiry.isAfter(overlapEnd);
        CreatedApiKey created = issue(access, old.name, keepsLaterExpiry ? previousExpiry : null, old.models, old.id,
                old.monthlyBudgetMicros, old.requestsPerMinute, old.allowedNetworks);
        old.expiresAt = keepsLaterExpiry || previousExpiry == null ? overlapEnd : previousExpiry;
        if (old.expiryNoticeAt == null) {
            old.expiryNoticeAt = now; // replaced: its end is the tenant's choice, nothing to warn of
        }
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
        return update(access, keyId, "given other models", "api_key.models_changed", ApiKeyService::models, () -> {
            String[] reach = reach(access, models);
            return reach == null ? null : List.of(reach);
        }, (key, list) -> key.models = list == null ? null : list.toArray(String[]::new));
    }

    /**
     * Sets the key's monthly cap ({@code null}: none). A key that had none starts counting from what its calls cost
     * so far this period (the hourly roll-ups; calls still in flight then may be left out); every replica's gateway
     * uses the new cap once the change commits (NOTIFY). A cap at or below that spend announces its thresholds at once
     * ({@link CapsReached}). The same cap again changes nothing.
     *
     * @throws ApiException 404 {@code api_key_not_found} (also for another tenant's key), 409 {@code key_not_active}
     *         for a revoked or expired key
     */
    @Transactional
    public ApiKeyView setBudget(TenantAccess access, UUID keyId, Long budgetMicros) {
        return update(access, keyId, "given another budget", "api_key.budget_changed",
                key -> key.monthlyBudgetMicros, () -> budgetMicros, (key, cap) -> {
                    LocalDate period = BillingPeriods.periodOf(Instant.now(), plans.zoneOf(access.tenantId()));
                    if (key.monthlyBudgetMicros == null) {
                        spend.startCounting(access.tenantId(), period, key.id);
                    }
                    key.monthlyBudgetMicros = cap;
                    if (cap != null) {
                        capsReached.keyCapSet(access.tenantId(), period, Limits.keyScope(key.id), cap);
                    }
                });
    }

    /**
     * Renames the key (names need not be unique: prefix and last four tell keys apart); its secret and everything else
     * stay. The same name again changes nothing.
     *
     * @throws ApiException 404 {@code api_key_not_found} (also for another tenant's key), 409 {@code key_not_active}
     *         for a revoked or expired key
     */
    @Transactional
    public ApiKeyView rename(TenantAccess access, UUID keyId, String name) {
        String wanted = name.trim();
        return update(access, keyId, "renamed", "api_key.renamed", key -> key.name, () -> wanted,
                (key, renamed) -> key.name = renamed);
    }

    /**
     * Disables the key (its calls are refused with 403 {@code key_disabled}, and recorded, until it is enabled) or
     * enables it again; every replica's gateway follows once the change commits (NOTIFY). Disabling a disabled key, or
     * enabling an enabled one, changes nothing.
     *
     * @throws ApiException 404 {@code api_key_not_found} (also for another tenant's key), 409 {@code key_not_active}
     *         for a revoked or expired key
     */
    @Transactional
    public ApiKeyView setDisabled(TenantAccess access, UUID keyId, boolean disabled) {
        return update(access, keyId, disabled ? "disabled" : "enabled",
                disabled ? "api_key.disabled" : "api_key.enabled", key -> key.disabledAt != null, () -> disabled,
                (key, off) -> key.disabledAt = off ? Instant.now().truncatedTo(ChronoUnit.MICROS) : null);
    }

    /**
     * Sets the key's own limit of calls per clock minute ({@code null}: only the plan's); every replica's gateway uses
     * it once the change commits (NOTIFY). The same limit again changes nothing.
     *
     * @throws ApiException 404 {@code api_key_not_found} (also for another tenant's key), 409 {@code key_not_active}
     *         for a revoked or expired key
     */
    @Transactional
    public ApiKeyView setRateLimit(TenantAccess access, UUID keyId, Integer requestsPerMinute) {
        return update(access, keyId, "given another rate limit", "api_key.rate_limit_changed",
                key -> key.requestsPerMinute, () -> requestsPerMinute, (key, limit) -> key.requestsPerMinute = limit);
    }

    /**
     * Moves the key's expiry ({@code null}: never), later or sooner, without a new secret; every replica's gateway uses
     * it once the change commits (NOTIFY). A key already expired or revoked stays so: issue a new one. The expiry
     * notice follows the new date: one is sent {@code aiaas.api-keys.expiry-notice} before it, again if an earlier
     * one was sent for the old date, and none for a date the tenant chose inside that window. The same expiry again
     * changes nothing.
     *
     * @throws ApiException 404 {@code api_key_not_found} (also for another tenant's key), 409 {@code key_not_active}
     *         for a revoked or expired key
     */
    @Transactional
    public ApiKeyView setExpiry(TenantAccess access, UUID keyId, Instant expiresAt) {
        Instant wanted = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
        return update(access, keyId, "given another expiry", "api_key.expiry_changed", key -> key.expiresAt,
                () -> wanted, (key, expiry) -> {
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    key.expiresAt = expiry;
                    key.expiryNoticeAt = expiryNotices.knownAtIssue(now, expiry) ? now : null;
                });
    }

    /**
     * Replaces the client networks the key may be used from ({@code null}: anywhere), checked as when issuing; every
     * replica's gateway uses them once the change commits (NOTIFY). The same networks again change nothing.
     *
     * @throws ApiException 400 {@code validation_failed} naming the entries that are not networks, 404
     *         {@code api_key_not_found} (also for another tenant's key), 409 {@code key_not_active}
     */
    @Transactional
    public ApiKeyView replaceNetworks(TenantAccess access, UUID keyId, List<String> networks) {
        return update(access, keyId, "given other networks", "api_key.networks_changed", ApiKeyService::networks,
                () -> {
                    String[] canonical = canonicalNetworks(networks);
                    return canonical == null ? null : List.of(canonical);
                }, (key, list) -> key.allowedNetworks = list == null ? null : list.toArray(String[]::new));
    }

    /**
     * Changes one setting of an active key of the tenant (its row locked: changes of one key take turns): reads it,
     * computes the wanted value once the key is known to be active, and only when they differ writes it, audits
     * {@code action} with both values and announces the key to every replica. Answers the key as it is then.
     */
    private <T> ApiKeyView update(TenantAccess access, UUID keyId, String refused, String action,
            Function<ApiKeyEntity, T> read, Supplier<T> wanted, BiConsumer<ApiKeyEntity, T> write) {
        ApiKeyEntity key = keys.findInTenantForUpdate(access.tenantId(), keyId).orElseThrow(() -> notFound(access,
                keyId));
        Instant now = Instant.now();
        requireLive(key, now, refused);
        T before = read.apply(key);
        T after = wanted.get();
        if (!Objects.equals(before, after)) {
            write.accept(key, after);
            audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), action, "api_key",
                    key.id.toString(), Constraints.json(change(key.name, before, after)));
            announce(key);
        }
        return budgets(access, List.of(key), now).view(key);
    }

    /**
     * Audit details of a change of a key; a null value (every model, no cap, no expiry) is written as null, not left
     * out, and an instant as its ISO-8601 text.
     */
    private static Map<String, Object> change(String name, Object from, Object to) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        details.put("from", from instanceof Instant at ? at.toString() : from);
        details.put("to", to instanceof Instant at ? at.toString() : to);
        return details;
    }

    @Transactional
    public List<ApiKeyView> list(TenantAccess access) {
        Instant now = Instant.now();
        List<ApiKeyEntity> all = keys.listByTenant(access.tenantId());
        Budgets budgets = budgets(access, all, now);
        return all.stream().map(budgets::view).toList();
    }

    /** One key of the tenant, as lists show it; 404 {@code api_key_not_found} for another tenant's key or none. */
    @Transactional
    public ApiKeyView get(TenantAccess access, UUID keyId) {
        ApiKeyEntity key = keys.findInTenant(access.tenantId(), keyId).orElseThrow(() -> notFound(access, keyId));
        return budgets(access, List.of(key), Instant.now()).view(key);
    }

    /** What the keys' views need to show their caps: the period's spend of the capped ones, and the currency. */
    private Budgets budgets(TenantAccess access, List<ApiKeyEntity> shown, Instant now) {
        Optional<ActivePlan> plan = plans.at(access.tenantId(), now);
        boolean anyCap = shown.stream().anyMatch(k -> k.monthlyBudgetMicros != null);
        Map<UUID, Long> spent = !anyCap ? Map.of() : spend.spentNanos(access.tenantId(), BillingPeriods.periodOf(now,
                plan.map(ActivePlan::zone).orElseGet(() -> plans.zoneOf(access.tenantId()))));
        return new Budgets(now, spent, plan.map(p -> p.spec().currency()).orElse(null));
    }

    private record Budgets(Instant now, Map<UUID, Long> spentNanos, String currency) {
        ApiKeyView view(ApiKeyEntity k) {
            return ApiKeyService.view(k, now, k.monthlyBudgetMicros == null ? null
                    : Amounts.nanosToMicros(spentNanos.getOrDefault(k.id, 0L)), currency);
        }
    }

    /**
     * Revokes a key of this tenant; revoking twice keeps the first time. A key of another tenant is not found. Every
     * replica drops the key from its cache when the revocation commits (NOTIFY).
     */
    @Transactional
    public void revoke(TenantAccess access, UUID keyId) {
        // locked: two revocations at once record one (the first time), and none writes over a change in flight
        ApiKeyEntity key = keys.findInTenantForUpdate(access.tenantId(), keyId)
                .orElseThrow(() -> notFound(access, keyId));
        if (key.revokedAt != null) {
            return;
        }
        key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.revoked", "api_key",
                key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix));
        announce(key);
    }

    /**
     * Revokes every key of a tenant not yet revoked (the tenant is closing; the caller holds its row lock); answers
     * how many. Every replica drops them when the transaction commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeAll(UUID tenantId, Caller caller) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int revoked = 0;
        for (ApiKeyEntity key : keys.listByTenant(tenantId)) {
            if (key.revokedAt == null) {
                key.revokedAt = now;
                audit.record(caller.actor(), ActorKind.USER, tenantId, "api_key.revoked", "api_key",
                        key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix, "reason",
                                "tenant_closed"));
                announce(key);
                revoked++;
            }
        }
        return revoked;
    }

    /**
     * Before a key is issued: the tenant's row share-locked until this commits, so a close running now either waits
     * for the new key and revokes it with the others, or commits first and is seen here (409 {@code tenant_closed};
     * the access check ran in a transaction before). Taken before any key's lock, as a close takes the tenant's first.
     */
    private void requireOpen(TenantAccess access) {
        if (tenants.closedShareLocked(access.tenantId())) {
            throw TenantService.closed(access.slug());
        }
    }

    private CreatedApiKey issue(TenantAccess access, String name, Instant expiresAt, String[] models,
            UUID rotatedFrom, Long budgetMicros, Integer requestsPerMinute, String[] networks) {
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
        key.expiryNoticeAt = expiryNotices.knownAtIssue(key.createdAt, expiresAt) ? key.createdAt : null;
        key.models = models;
        key.monthlyBudgetMicros = budgetMicros;
        key.requestsPerMinute = requestsPerMinute;
        key.allowedNetworks = networks;
        keys.persist(key);
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "api_key.created", "api_key",
                key.id.toString(), Constraints.json("name", key.name, "prefix", key.prefix, "last_four", key.lastFour,
                        "rotated_from", rotatedFrom == null ? null : rotatedFrom.toString(), "models", models(key),
                        "monthly_budget_micros", budgetMicros, "requests_per_minute", requestsPerMinute,
                        "allowed_networks", networks(key)));
        return new CreatedApiKey(key.id, key.name, secret, key.prefix, key.lastFour, key.createdAt, key.expiresAt,
                models(key), budgetMicros, requestsPerMinute, networks(key));
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

    /** revoked, expired, disabled or active at {@code now}. */
    private static String status(ApiKeyEntity k, Instant now) {
        return k.revokedAt != null ? "revoked" : k.expiresAt != null && !k.expiresAt.isAfter(now) ? "expired"
                : k.disabledAt != null ? "disabled" : "active";
    }

    /**
     * 409 {@code key_not_active} for a revoked or expired key: only a live one (active or disabled) can be
     * {@code changed}.
     */
    private static void requireLive(ApiKeyEntity key, Instant now, String changed) {
        String status = status(key, now);
        if (!"active".equals(status) && !"disabled".equals(status)) {
            throw ApiException.conflict("key_not_active", "API key " + key.id + " is " + status
                    + "; only an active or disabled key can be " + changed);
        }
    }

    static ApiKeyView view(ApiKeyEntity k, Instant now, Long budgetUsedMicros, String currency) {
        String status = status(k, now);
        return new ApiKeyView(k.id, k.name, k.prefix, k.lastFour, status, k.createdBy, k.createdAt, k.expiresAt,
                k.revokedAt, k.lastUsedAt, models(k), k.monthlyBudgetMicros, budgetUsedMicros, currency,
                k.requestsPerMinute, networks(k), k.disabledAt, k.lastUsedFrom);
    }

    private static List<String> models(ApiKeyEntity key) {
        return key.models == null ? null : List.of(key.models);
    }

    private static List<String> networks(ApiKeyEntity key) {
        return key.allowedNetworks == null ? null : List.of(key.allowedNetworks);
    }
}
