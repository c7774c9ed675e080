package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Audit entries, newest first; {@code next_before} is the cursor of the next (older) page, null on the last. */
public record AuditPage(List<Entry> entries, Long nextBefore) {

    public List<Entry> entries() {
        return entries == null ? List.of() : entries;
    }

    /**
     * One recorded change; actor_kind USER, API_KEY, WORKER or SYSTEM.
     *
     * @param tenant the tenant's slug, null on a platform-wide entry (only the admin log has those)
     */
    public record Entry(long id, Instant at, String actor, String actorKind, String tenant, String action,
            String targetType, String targetId, JsonNode details) {

        /** The details as compact JSON, empty when there are none. */
        public String detailsText() {
            return details == null || details.isNull() || details.isContainerNode() && details.isEmpty() ? ""
                    : details.toString();
        }
    }
}
