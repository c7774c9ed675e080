package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/plan}: the self-service plan the tenant moves to at the start of its next
 * billing period ({@code effective} null) or at once ({@code "now"}: an upgrade); the plan it is on now cancels a
 * pending change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanSelection(UUID planId, String effective) {

    /** At the start of the next billing period. */
    public static PlanSelection nextPeriod(UUID planId) {
        return new PlanSelection(planId, null);
    }

    /** At once. */
    public static PlanSelection now(UUID planId) {
        return new PlanSelection(planId, "now");
    }
}
