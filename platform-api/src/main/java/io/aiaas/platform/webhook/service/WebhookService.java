package io.aiaas.platform.webhook.service;

import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.webhook.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's webhook: configure (with a new secret), rotate its secret (with an overlap), choose its event types,
 * show, remove, send a test event, list recent deliveries.
 */
@ApplicationScoped
public class WebhookService {

    /** Most deliveries one list answers. */
    public static final int MAX_LIST = 200;

    /** A delivery's states, as the list answers and filters them. */
    public static final List<String> STATES = List.of("PENDING", "DELIVERED", "FAILED");

    /** The webhook's columns as {@link #view} reads them: an overlap that has ended reads as none. */
    private static final String VIEW_COLUMNS = "webhook_url, webhook_created_at, webhook_events,"
            + " CASE WHEN webhook_previous_secret_until > now() THEN webhook_previous_secret_until END";

    private final Jdbc jdbc;
    private final AuditLog audit;
    private final WebhookUrls urls;

    WebhookService(Jdbc jdbc, AuditLog audit, WebhookConfig config) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.urls = new WebhookUrls(config.allowPrivateAddresses());
    }

    /** Sets the URL and a new secret; the secret is in the answer and nowhere else ever after. */
    @Transactional
    public CreatedWebhook configure(TenantAccess access, SetWebhookRequest request) {
        URI uri;
        try {
            uri = urls.check(request.url());
        } catch (WebhookUrls.Refused e) {
            throw ApiException.badRequest("invalid_webhook_url", e.getMessage());
        }
        String url = uri.toString();
        String secret = WebhookSignatures.newSecret();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // the event types chosen stay with a new URL; a previous secret does not (its overlap was for the old one)
        Configured configured = jdbc.withConnection(c -> Jdbc.query(c, """
                UPDATE tenants t SET webhook_url = ?, webhook_secret = ?, webhook_created_at = ?,
                    webhook_previous_secret = NULL, webhook_previous_secret_until = NULL
                FROM tenants old WHERE t.id = ? AND old.id = t.id
                RETURNING old.webhook_url IS NOT NULL, t.webhook_events""", rs -> new Configured(rs.getBoolean(1),
                        events(rs, 2)), url, secret, now, access.tenantId())).stream().findFirst()
                .orElse(new Configured(false, null));
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(),
                configured.replaced() ? "webhook.replaced" : "webhook.configured", "webhook", access.slug(),
                Constraints.json("url", url));
        return new CreatedWebhook(url, secret, now, configured.events(), null);
    }

    /**
     * Replaces the signing secret and keeps the URL and event types. With an overlap, the secret replaced goes on
     * signing each delivery beside the new one until then (a previous overlap's secret is dropped: two at most);
     * without one it stops at once. The new secret is in the answer and nowhere else ever after.
     *
     * @throws ApiException 404 {@code webhook_not_found} when the tenant has no webhook
     */
    @Transactional
    public CreatedWebhook rotateSecret(TenantAccess access, RotateSecretRequest request) {
        int overlap = request.overlapOrDefault();
        String secret = WebhookSignatures.newSecret();
        Instant until = overlap == 0 ? null
                : Instant.now().truncatedTo(ChronoUnit.MICROS).plusSeconds(overlap);
        WebhookView rotated = jdbc.withConnection(c -> {
            WebhookView before = Jdbc.query(c, "SELECT " + VIEW_COLUMNS + " FROM tenants"
                    + " WHERE id = ? AND webhook_url IS NOT NULL FOR UPDATE", WebhookService::view, access.tenantId())
                    .stream().findFirst().orElseThrow(() -> notFound(access));
            Jdbc.update(c, """
                    UPDATE tenants SET webhook_previous_secret = CASE WHEN ?::timestamptz IS NULL THEN NULL
                                                                      ELSE webhook_secret END,
                        webhook_previous_secret_until = ?::timestamptz, webhook_secret = ?
                    WHERE id = ?""", until, until, secret, access.tenantId());
            return before;
        });
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "webhook.secret_rotated", "webhook",
                access.slug(), Constraints.json("overlap_seconds", overlap,
                        "previous_valid_until", until == null ? null : until.toString()));
        return new CreatedWebhook(rotated.url(), secret, rotated.createdAt(), rotated.events(), until);
    }

    private record Configured(boolean replaced, List<String> events) {
    }

    /**
     * Chooses the event types the webhook receives ({@code null}: every type); answers the webhook. The same choice
     * again changes nothing (no audit row).
     *
     * @throws ApiException 400 {@code validation_failed} naming each entry that is not an event type, 404
     *     {@code webhook_not_found} when the tenant has no webhook
     */
    @Transactional
    public WebhookView chooseEvents(TenantAccess access, WebhookEventsRequest request) {
        List<String> events = WebhookEvents.canonical(request.events());
        return jdbc.withConnection(c -> {
            WebhookView before = Jdbc.query(c, "SELECT " + VIEW_COLUMNS + " FROM tenants"
                    + " WHERE id = ? AND webhook_url IS NOT NULL FOR UPDATE", WebhookService::view, access.tenantId())
                    .stream().findFirst().orElseThrow(() -> notFound(access));
            if (Objects.equals(before.events(), events)) {
                return before;
            }
            Jdbc.update(c, "UPDATE tenants SET webhook_events = ? WHERE id = ?",
                    events == null ? null : c.createArrayOf("text", events.toArray()), access.tenantId());
            audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "webhook.events_changed",
                    "webhook", access.slug(), Constraints.json("from", before.events(), "to", events));
            return new WebhookView(before.url(), before.createdAt(), events, before.previousSecretExpiresAt());
        });
    }

    static ApiException notConfigured(TenantAccess access) {
        return ApiException.conflict("webhook_not_configured",
                "Tenant '" + access.slug() + "' has no webhook; configure one with PUT first");
    }

    static ApiException notFound(TenantAccess access) {
        return ApiException.notFound("webhook_not_found", "Tenant '" + access.slug() + "' has no webhook");
    }

    private static WebhookView view(ResultSet rs) throws SQLException {
        return new WebhookView(rs.getString(1), Jdbc.instant(rs, 2), events(rs, 3), Jdbc.instant(rs, 4));
    }

    private static List<String> events(ResultSet rs, int column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? null : List.of((String[]) array.getArray());
    }

    @Transactional
    public Optional<WebhookView> find(TenantAccess access) {
        return jdbc.query("SELECT " + VIEW_COLUMNS + " FROM tenants WHERE id = ? AND webhook_url IS NOT NULL",
                WebhookService::view, access.tenantId()).stream().findFirst();
    }

    /** Removes the webhook; pending deliveries then fail at their next attempt. Removing none is not an error. */
    @Transactional
    public void remove(TenantAccess access) {
        List<String> removed = jdbc.withConnection(c -> Jdbc.query(c, """
                UPDATE tenants t SET webhook_url = NULL, webhook_secret = NULL, webhook_created_at = NULL,
                    webhook_events = NULL, webhook_previous_secret = NULL, webhook_previous_secret_until = NULL
                FROM tenants old WHERE t.id = ? AND old.id = t.id AND old.webhook_url IS NOT NULL
                RETURNING old.webhook_url""", rs -> rs.getString(1), access.tenantId()));
        if (!removed.isEmpty()) {
            audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "webhook.removed", "webhook",
                    access.slug(), Constraints.json("url", removed.get(0)));
        }
    }

    /** Queues a {@code webhook.test} event for the configured URL; 409 when there is none. */
    @Transactional
    public QueuedDelivery sendTest(TenantAccess access) {
        UUID eventId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID deliveryId = jdbc.withConnection(c -> {
            boolean configured = !Jdbc.query(c, "SELECT 1 FROM tenants WHERE id = ? AND webhook_url IS NOT NULL",
                    rs -> 1, access.tenantId()).isEmpty();
            if (!configured) {
                return null;
            }
            var data = WebhookOutbox.data();
            data.put("message", "A test event sent on request of " + access.caller().actor());
            return WebhookOutbox.enqueue(c, access.tenantId(), eventId, WebhookOutbox.TEST_EVENT,
                    WebhookOutbox.payload(eventId, WebhookOutbox.TEST_EVENT, now, access.slug(), data));
        });
        if (deliveryId == null) {
            throw notConfigured(access);
        }
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "webhook.test_queued",
                "webhook_delivery", deliveryId.toString(), Constraints.json("event_id", eventId.toString()));
        return new QueuedDelivery(deliveryId, eventId, WebhookOutbox.TEST_EVENT, null);
    }

    /** The tenant's most recent deliveries, newest first; only those in {@code onlyState} unless it is null. */
    @Transactional
    public List<DeliveryView> deliveries(TenantAccess access, int limit, String onlyState) {
        return jdbc.query("""
                SELECT id, event_id, event_type, state, attempts, last_status, last_error, created_at,
                       next_attempt_at, delivered_at, redelivery_of
                FROM webhook_deliveries WHERE tenant_id = ? AND (?::text IS NULL OR state = ?)
                ORDER BY created_at DESC, id LIMIT ?""",
                rs -> {
                    String state = rs.getString(4);
                    return new DeliveryView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), state, rs.getInt(5), (Integer) rs.getObject(6), rs.getString(7),
                            Jdbc.instant(rs, 8), "PENDING".equals(state) ? Jdbc.instant(rs, 9) : null,
                            Jdbc.instant(rs, 10), rs.getObject(11, UUID.class));
                }, access.tenantId(), onlyState, onlyState, limit);
    }
}
