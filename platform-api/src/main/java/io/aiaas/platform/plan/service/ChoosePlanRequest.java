package io.aiaas.platform.plan.service;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.UUID;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/plan}: the self-service plan the tenant moves to, from the start of its
 * next billing period ({@code effective} absent or {@code next_period}) or at once ({@code now}: a plan of the same
 * currency whose fee is not lower).
 */
public record ChoosePlanRequest(@NotNull UUID planId,
        @Pattern(regexp = "now|next_period", message = "must be 'now' or 'next_period'") String effective) {

    /** Whether the change is asked for at once. */
    public boolean now() {
        return "now".equals(effective);
    }
}
