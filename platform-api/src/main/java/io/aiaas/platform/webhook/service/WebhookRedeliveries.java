package io.aiaas.platform.webhook.service;

import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Events sent again on a tenant admin's request: one delivery's event, or every event whose latest delivery failed
 * since a time (after the receiver's outage). Each is a new delivery of the same event (same id and body) to the
 * webhook as configured now, whatever event types it receives, linked to the delivery it repeats, which keeps its
 * history. An event has at most one delivery pending: a unique partial index decides between requests at once.
 */
@ApplicationScoped
public class WebhookRedeliveries {

    /** Most events one "send every failed event again" queues; the answer says when more are left. */
    public static final int MAX_FAILED_AT_ONCE = 1000;

    private final Jdbc jdbc;
    private final AuditLog audit;

    WebhookRedeliveries(Jdbc jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** What sending every failed event again came to: how many were queued and whether more are left. */
    public record FailedRedelivered(Instant since, int queued, boolean more) {
    }

    /**
     * Queues the event of one of the tenant's deliveries again, as a new delivery due now to the webhook as it is
     * configured today (URL, secret), whatever event types it receives: a tenant admin asked for this event. The
     * delivery it repeats keeps its history. An event has at most one delivery pending (a unique index decides
     * between two requests at once).
     *
     * @throws ApiException 404 {@code delivery_not_found} (not one of the tenant's deliveries), 409
     *     {@code webhook_not_configured}, 409 {@code delivery_pending} while a delivery of the event is still pending
     */
    @Transactional
    public QueuedDelivery redeliver(TenantAccess access, UUID original) {
        UUID id = UUID.randomUUID();
        QueuedDelivery queued = jdbc.withConnection(c -> {
            Repeated repeated = Jdbc.query(c, """
                    SELECT d.event_id, d.event_type, t.webhook_url IS NOT NULL FROM webhook_deliveries d
                    JOIN tenants t ON t.id = d.tenant_id WHERE d.id = ? AND d.tenant_id = ?""",
                    rs -> new Repeated(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3)),
                    original, access.tenantId()).stream().findFirst()
                    .orElseThrow(() -> ApiException.notFound("delivery_not_found",
                            "Tenant '" + access.slug() + "' has no webhook delivery " + original));
            if (!repeated.configured()) {
                throw WebhookService.notConfigured(access);
            }
            int inserted = Jdbc.update(c, """
                    INSERT INTO webhook_deliveries (id, tenant_id, event_id, event_type, payload, state, redelivery_of)
                    SELECT ?, tenant_id, event_id, event_type, payload, 'PENDING', id FROM webhook_deliveries
                    WHERE id = ?
                    ON CONFLICT (tenant_id, event_id) WHERE state = 'PENDING' DO NOTHING""", id, original);
            if (inserted == 0) {
                throw ApiException.conflict("delivery_pending", "Event " + repeated.eventId() + " is still being"
                        + " delivered; send it again once its pending delivery has been delivered or has failed");
            }
            return new QueuedDelivery(id, repeated.eventId(), repeated.eventType(), original);
        });
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "webhook.redelivery_queued",
                "webhook_delivery", id.toString(), Constraints.json("event_id", queued.eventId().toString(),
                        "redelivery_of", original.toString()));
        return queued;
    }

    private record Repeated(UUID eventId, String eventType, boolean configured) {
    }

    /**
     * Queues again every event of the tenant whose latest delivery was created at or after {@code since} and FAILED
     * (at most {@value #MAX_FAILED_AT_ONCE}, oldest first; {@code more} when that many were found: call again). An
     * event delivered since, or on its way, is left alone.
     *
     * @throws ApiException 400 {@code invalid_since} (not an ISO-8601 instant with its offset), 409
     *     {@code webhook_not_configured}
     */
    @Transactional
    public FailedRedelivered redeliverFailed(TenantAccess access, String sinceText) {
        Instant since = since(sinceText);
        FailedRedelivered done = jdbc.withConnection(c -> {
            boolean configured = !Jdbc.query(c, "SELECT 1 FROM tenants WHERE id = ? AND webhook_url IS NOT NULL",
                    rs -> 1, access.tenantId()).isEmpty();
            if (!configured) {
                throw WebhookService.notConfigured(access);
            }
            return Jdbc.query(c, """
                    WITH failed AS (
                        SELECT d.id, d.tenant_id, d.event_id, d.event_type, d.payload, d.created_at
                        FROM webhook_deliveries d
                        WHERE d.tenant_id = ? AND d.state = 'FAILED' AND d.created_at >= ?
                          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries later
                                          WHERE later.tenant_id = d.tenant_id AND later.event_id = d.event_id
                                            AND later.created_at > d.created_at)
                        ORDER BY d.created_at, d.id
                        LIMIT ?),
                    queued AS (
                        INSERT INTO webhook_deliveries (id, tenant_id, event_id, event_type, payload, state,
                                                        redelivery_of)
                        SELECT gen_random_uuid(), tenant_id, event_id, event_type, payload, 'PENDING', id FROM failed
                        ORDER BY created_at, id
                        ON CONFLICT (tenant_id, event_id) WHERE state = 'PENDING' DO NOTHING
                        RETURNING 1)
                    SELECT (SELECT count(*) FROM failed), (SELECT count(*) FROM queued)""",
                    rs -> new FailedRedelivered(since, rs.getInt(2), rs.getInt(1) == MAX_FAILED_AT_ONCE),
                    access.tenantId(), since, MAX_FAILED_AT_ONCE).get(0);
        });
        audit.record(access.caller().actor(), ActorKind.USER, access.tenantId(), "webhook.failed_redelivered",
                "webhook", access.slug(), Constraints.json("since", since.toString(), "queued", done.queued(),
                        "more", done.more()));
        return done;
    }

    private static Instant since(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("invalid_since", "since is required: an ISO-8601 instant with its offset,"
                    + " such as 2026-12-01T00:00:00Z");
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw ApiException.badRequest("invalid_since", "since '" + shown + "' is not an ISO-8601 instant with"
                    + " its offset, such as 2026-12-01T00:00:00Z");
        }
    }
}
