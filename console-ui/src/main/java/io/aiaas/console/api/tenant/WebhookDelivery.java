package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery of an event to the tenant's webhook: state PENDING, DELIVERED or FAILED; how its last attempt went
 * (status when an answer came back, else only the error); next_attempt_at only while pending; redelivery_of the
 * delivery it repeats when a tenant admin sent the event again (null otherwise, and from a platform-api of before).
 */
public record WebhookDelivery(UUID id, UUID eventId, String eventType, String state, int attempts, Integer lastStatus,
        String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, UUID redeliveryOf) {

    /** How much of the last error the table shows; the whole text is in the cell's title. */
    static final int SHORT_ERROR = 60;

    /** The last error cut to {@value #SHORT_ERROR} characters for the table, or "" without one. */
    public String shortError() {
        if (lastError == null) {
            return "";
        }
        if (lastError.codePointCount(0, lastError.length()) <= SHORT_ERROR) {
            return lastError;
        }
        return lastError.substring(0, lastError.offsetByCodePoints(0, SHORT_ERROR - 1)).stripTrailing() + "…";
    }

    /** The first 8 characters of the delivery this one repeats, for the table's note, or "" when it repeats none. */
    public String redeliveryOfShort() {
        return redeliveryOf == null ? "" : redeliveryOf.toString().substring(0, 8);
    }

    public boolean delivered() {
        return "DELIVERED".equals(state);
    }

    public boolean pending() {
        return "PENDING".equals(state);
    }
}
