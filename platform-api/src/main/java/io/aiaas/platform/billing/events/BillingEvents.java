package io.aiaas.platform.billing.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Records threshold crossings as billing events, on the caller's connection and inside the caller's transaction (the
 * usage writer's, the one that inserts the usage rows): each new event gets an audit entry and, when the tenant has a
 * webhook, a queued delivery. The unique key of billing_events (tenant, period, kind, metric, scope, threshold) makes
 * "one event each per period" hold across replicas: a concurrent writer's INSERT waits for the first to commit and
 * then inserts nothing, so only one of them writes the audit entry and the delivery.
 */
public final class BillingEvents {

    /** Audit action of a new billing event. */
    public static final String AUDIT_ACTION = "billing.threshold_reached";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyy-MM");

    private BillingEvents() {
    }

    /** An event that this call inserted (others had already been recorded and are left out). */
    public record Recorded(UUID id, Crossed crossed, Instant created, UUID deliveryId) {
    }

    /**
     * Records crossings of one tenant and period. Costs nothing when {@code crossed} is empty; otherwise one INSERT
     * per crossing, and for new events one tenant lookup, an audit row and a delivery each. Leaves commit and
     * rollback to the caller; an SQLException leaves the transaction to be rolled back.
     *
     * @param period the first day of the tenant's billing month (usage_records.billing_period)
     * @return the events this call created; empty when all of them existed already
     */
    public static List<Recorded> record(Connection c, UUID tenantId, LocalDate period, List<Crossed> crossed)
            throws SQLException {
        if (crossed == null || crossed.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>(crossed.size());
        List<Instant> created = new ArrayList<>(crossed.size());
        List<Crossed> inserted = new ArrayList<>(crossed.size());
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO billing_events (id, tenant_id, billing_period, kind, metric, scope, threshold, enforcement,
                                            limit_value, used_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                RETURNING id, created_at""")) {
            for (Crossed x : crossed) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, tenantId);
                insert.setObject(3, period);
                insert.setString(4, x.kind());
                insert.setString(5, x.metric());
                insert.setString(6, x.scope());
                insert.setShort(7, (short) x.threshold());
                insert.setString(8, x.enforcement());
                insert.setLong(9, x.limit());
                insert.setLong(10, x.used());
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                        created.add(rs.getObject(2, OffsetDateTime.class).toInstant());
                        inserted.add(x);
                    }
                }
            }
        }
        if (inserted.isEmpty()) {
            return List.of();
        }
        String slug;
        String webhookUrl;
        try (PreparedStatement tenant = c.prepareStatement("SELECT slug, webhook_url FROM tenants WHERE id = ?")) {
            tenant.setObject(1, tenantId);
            try (ResultSet rs = tenant.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no tenant " + tenantId, "23503");
                }
                slug = rs.getString(1);
                webhookUrl = rs.getString(2);
            }
        }
        List<Recorded> recorded = new ArrayList<>(inserted.size());
        try (PreparedStatement audit = c.prepareStatement("""
                INSERT INTO audit_log (actor, actor_kind, tenant_id, action, target_type, target_id, details)
                VALUES ('system', 'SYSTEM', ?, ?, 'billing_event', ?, CAST(? AS jsonb))""")) {
            for (int i = 0; i < inserted.size(); i++) {
                Crossed x = inserted.get(i);
                ObjectNode data = data(x, period);
                audit.setObject(1, tenantId);
                audit.setString(2, AUDIT_ACTION);
                audit.setString(3, ids.get(i).toString());
                audit.setString(4, json(data));
                audit.executeUpdate();
                UUID delivery = null;
                if (webhookUrl != null) {
                    delivery = WebhookOutbox.enqueue(c, tenantId, ids.get(i), x.eventType(),
                            WebhookOutbox.payload(ids.get(i), x.eventType(), created.get(i), slug, data));
                }
                recorded.add(new Recorded(ids.get(i), x, created.get(i), delivery));
            }
        }
        return recorded;
    }

    /** The event's details: the audit entry's and the webhook payload's {@code data}. */
    private static ObjectNode data(Crossed x, LocalDate period) {
        ObjectNode data = WebhookOutbox.data();
        data.put("period", PERIOD.format(period));
        data.put("kind", x.kind());
        data.put("metric", x.metric());
        data.put("scope", x.scope());
        data.put("threshold", x.threshold());
        data.put("limit", x.limit());
        data.put("used", x.used());
        data.put("unit", x.unit());
        data.put("enforcement", x.enforcement());
        return data;
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
