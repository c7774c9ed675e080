package io.aiaas.platform.webhook.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Queues webhook deliveries (rows of webhook_deliveries) inside the caller's transaction, so an event and its
 * delivery commit together or not at all; {@link WebhookDispatcher} sends them later. Every payload has one shape:
 * {@code {"id", "type", "created", "tenant", "data": {...}}}.
 */
public final class WebhookOutbox {

    /** Type of the event that {@code POST /api/v1/tenants/{slug}/webhook/test} queues. */
    public static final String TEST_EVENT = "webhook.test";
    /** Type of the event queued when an invoice or credit note of the tenant is finalized. */
    public static final String INVOICE_FINALIZED = "invoice.finalized";
    /** Type of the event queued when a platform admin records a payment that settles an invoice of the tenant. */
    public static final String INVOICE_PAID = "invoice.paid";
    /** Type of the event queued when a platform admin records a payment that leaves part of an invoice to pay. */
    public static final String INVOICE_PAYMENT_RECEIVED = "invoice.payment_received";
    /** Type of the event queued when a platform admin records a refund of what an invoice was overpaid. */
    public static final String INVOICE_REFUNDED = "invoice.refunded";
    /** Type of the event queued once when an invoice of the tenant is unpaid after its payment terms. */
    public static final String INVOICE_OVERDUE = "invoice.overdue";
    /** Type of the event queued when the overdue sweep suspends the tenant for an invoice unpaid past its grace. */
    public static final String TENANT_SUSPENDED = "tenant.suspended";
    /** Type of the event queued when a tenant the overdue sweep suspended is resumed by a payment or credit note. */
    public static final String TENANT_RESUMED = "tenant.resumed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookOutbox() {
    }

    /** A new, empty {@code data} object to fill. */
    public static ObjectNode data() {
        return JSON.createObjectNode();
    }

    /** The payload of an event, as sent and signed (snake_case keys, ISO-8601 UTC time). */
    public static String payload(UUID eventId, String type, Instant created, String tenantSlug, ObjectNode data) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", eventId.toString());
        root.put("type", type);
        root.put("created", created.toString());
        root.put("tenant", tenantSlug);
        root.set("data", data);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Queues an event for the tenant's webhook when it has one configured (nothing otherwise), in the connection's
     * transaction; answers the delivery's id, or null.
     */
    public static UUID enqueueIfConfigured(Connection connection, UUID tenantId, String tenantSlug, String type,
            Instant created, ObjectNode data) throws SQLException {
        try (var statement = connection.prepareStatement(
                "SELECT 1 FROM tenants WHERE id = ? AND webhook_url IS NOT NULL")) {
            statement.setObject(1, tenantId);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
            }
        }
        UUID eventId = UUID.randomUUID();
        return enqueue(connection, tenantId, eventId, type, payload(eventId, type, created, tenantSlug, data));
    }

    /**
     * Queues one delivery of an event, due now, unless the tenant chose event types for its webhook that do not
     * include this one ({@code webhook.test} is always queued); answers the delivery's id, or null when not queued.
     * The one place every feature's events pass, so the choice holds for all of them.
     */
    public static UUID enqueue(Connection connection, UUID tenantId, UUID eventId, String type, String payloadJson)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (var statement = connection.prepareStatement("""
                INSERT INTO webhook_deliveries (id, tenant_id, event_id, event_type, payload, state)
                SELECT ?, t.id, ?, ?, CAST(? AS json), 'PENDING' FROM tenants t
                WHERE t.id = ? AND (t.webhook_events IS NULL OR ? = ANY (t.webhook_events) OR ? = ?)""")) {
            statement.setObject(1, id);
            statement.setObject(2, eventId);
            statement.setString(3, type);
            statement.setString(4, payloadJson);
            statement.setObject(5, tenantId);
            statement.setString(6, type);
            statement.setString(7, type);
            statement.setString(8, TEST_EVENT);
            return statement.executeUpdate() == 1 ? id : null;
        }
    }
}
