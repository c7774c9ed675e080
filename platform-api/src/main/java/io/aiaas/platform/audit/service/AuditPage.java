package io.aiaas.platform.audit.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Audit entries, newest first; {@code next_before} is the {@code before} of the next (older) page, null on the last.
 */
public record AuditPage(List<Entry> entries, Long nextBefore) {

    /**
     * One recorded change.
     *
     * @param actorKind {@code USER}, {@code API_KEY}, {@code WORKER} or {@code SYSTEM}
     * @param tenant the tenant's slug, absent for platform-wide entries
     * @param action a dotted verb such as {@code api_key.created} or {@code billing.invoice.finalized}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long id, Instant at, String actor, String actorKind, UUID tenantId, String tenant,
            String action, String targetType, String targetId,
            @Schema(implementation = Object.class, type = SchemaType.OBJECT, description = "What changed, by action") JsonNode details) {
    }
}
