package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code PUT /admin/v1/models/{name}/rollout}: the whole rollout, replaced. A null field is left out of the
 * body, so {@link #NONE} sends {@code {}} and clears it. It holds only what platform-api takes (it refuses unknown
 * fields): never {@link Rollout}'s read-only {@code canary_since} and {@code last_rollback}. See {@link Rollout} for
 * what each field means.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutRequest(Integer stableVersion, Integer canaryVersion, Integer canaryPercent, String canaryBy,
        Integer rollbackErrorPercent, Integer rollbackWindow, Integer shadowVersion, Integer shadowPercent) {

    /** No rollout ({@code {}}): calls that name no version go to the newest version a worker serves. */
    public static final RolloutRequest NONE = new RolloutRequest(null, null, null, null, null, null, null, null);

    /**
     * That version stable, no canary and no shadow ({@code {"stable_version": v}}): how a canary is promoted. The PUT
     * replaces the whole rollout, so a shadow ends with the promotion too (the page says so).
     */
    public static RolloutRequest stable(int version) {
        return new RolloutRequest(version, null, null, null, null, null, null, null);
    }
}
