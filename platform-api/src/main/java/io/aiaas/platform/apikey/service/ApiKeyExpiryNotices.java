package io.aiaas.platform.apikey.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.apikey.ApiKeyConfig;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Tells a tenant, once per key, that one of its API keys expires soon ({@code aiaas.api-keys.expiry-notice} ahead,
 * 7 days by default): the {@code api_key.expiring} webhook event and an audit row, so that a key with an expiry does
 * not stop a customer's production by surprise. A key whose expiry its tenant chose inside that window (issued to
 * expire soon, the old key of a rotation, or an expiry moved there) is marked told when it is issued, rotated or
 * moved, and never announced; moving an expiry past the window makes the key due a notice again.
 * Every replica runs the job; the UPDATE that claims a key marks it, so one replica tells each. No HTTP in here.
 */
@ApplicationScoped
public class ApiKeyExpiryNotices {

    /** Type of the webhook event. */
    public static final String EXPIRING_EVENT = "api_key.expiring";
    /** Keys claimed per run at most; the next run takes the rest. */
    static final int MAX_NOTICES = 500;

    /**
     * Claims the keys whose notice is due (live, expiring within the window, not told), marking them told in the same
     * statement; a key another replica claimed meanwhile is skipped (SKIP LOCKED) or fails the outer re-check.
     */
    private static final String CLAIM = """
            UPDATE api_keys k SET expiry_notice_at = ?
            FROM tenants t
            WHERE t.id = k.tenant_id AND k.expiry_notice_at IS NULL AND k.id IN (
                SELECT id FROM api_keys
                WHERE expires_at IS NOT NULL AND revoked_at IS NULL AND expiry_notice_at IS NULL
                  AND expires_at > ? AND expires_at <= ?
                ORDER BY expires_at LIMIT %d FOR UPDATE SKIP LOCKED)
            RETURNING k.id, k.tenant_id, t.slug, k.name, k.prefix, k.last_four, k.expires_at""".formatted(MAX_NOTICES);

    private final ApiKeyConfig config;
    private final AuditLog audit;
    private final Jdbc jdbc;

    ApiKeyExpiryNotices(ApiKeyConfig config, AuditLog audit, Jdbc jdbc) {
        this.config = config;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /** Whether a key issued (or rotated out) at {@code now} to expire at {@code expiresAt} needs no notice later. */
    boolean knownAtIssue(Instant now, Instant expiresAt) {
        return expiresAt != null && !config.expiryNotice().isZero()
                && !expiresAt.isAfter(now.plus(config.expiryNotice()));
    }

    /** Every replica, every {@code aiaas.api-keys.expiry-check-interval}. */
    @Scheduled(every = "${aiaas.api-keys.expiry-check-interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        announceDue();
    }

    /**
     * Tells the tenants of every key due a notice, in one transaction with the claim (a failure leaves the keys
     * untold for the next run). Answers how many keys this call announced.
     */
    @Transactional
    public int announceDue() {
        if (config.expiryNotice().isZero()) {
            return 0;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return jdbc.withConnection(c -> {
            List<Due> due = Jdbc.query(c, CLAIM, rs -> new Due(rs.getObject(1, UUID.class), rs.getObject(2,
                    UUID.class), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    Jdbc.instant(rs, 7)), now, now, now.plus(config.expiryNotice()));
            for (Due key : due) {
                ObjectNode data = WebhookOutbox.data();
                data.put("key_id", key.id().toString());
                data.put("name", key.name());
                data.put("prefix", key.prefix());
                data.put("last_four", key.lastFour());
                data.put("expires_at", key.expiresAt().toString());
                data.put("url", "/api/v1/tenants/" + key.slug() + "/keys/" + key.id());
                WebhookOutbox.enqueueIfConfigured(c, key.tenantId(), key.slug(), EXPIRING_EVENT, now, data);
                audit.record("system", ActorKind.SYSTEM, key.tenantId(), "api_key.expiry_notified", "api_key",
                        key.id().toString(), Constraints.json("name", key.name(), "prefix", key.prefix(),
                                "expires_at", key.expiresAt().toString()));
            }
            return due.size();
        });
    }

    private record Due(UUID id, UUID tenantId, String slug, String name, String prefix, String lastFour,
            Instant expiresAt) {
    }
}
