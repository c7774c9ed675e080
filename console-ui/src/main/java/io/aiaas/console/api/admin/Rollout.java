package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A model's rollout: where its calls that name no version go. As the model card shows it ({@code "rollout"}) and as
 * {@code PUT /admin/v1/models/{name}/rollout} takes it, the whole rollout replaced: a null field is left out of the
 * body, so {@link #NONE} sends {@code {}} and clears it. {@code stableVersion} takes the calls (null: the newest version
 * a worker serves); {@code canaryVersion} takes {@code canaryPercent} (1-99) of them, drawn per call, while a worker
 * serves it (both null: no canary). A tenant's own pin wins over both; a call that names a version ignores them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(Integer stableVersion, Integer canaryVersion, Integer canaryPercent) {

    /** No rollout: calls that name no version go to the newest version a worker serves. */
    public static final Rollout NONE = new Rollout(null, null, null);

    /** Whether anything is set (a stable version or a canary). */
    public boolean any() {
        return stableVersion != null || canaryVersion != null;
    }

    /** Whether a canary is set. */
    public boolean canary() {
        return canaryVersion != null;
    }

    public boolean isStable(int version) {
        return stableVersion != null && stableVersion == version;
    }

    public boolean isCanary(int version) {
        return canaryVersion != null && canaryVersion == version;
    }

    /**
     * The rollout in words, e.g. "Calls that name no version go to version 3; version 4 takes 10 % of them as a
     * canary, while a worker serves it."
     */
    public String summary() {
        StringBuilder text = new StringBuilder("Calls that name no version go to ");
        if (stableVersion != null) {
            text.append("version ").append(stableVersion);
        } else {
            text.append("the newest version a worker serves");
            if (canaryVersion != null) {
                text.append(" (version ").append(canaryVersion).append(" aside)");
            }
        }
        if (canaryVersion != null) {
            text.append("; version ").append(canaryVersion).append(" takes ").append(canaryPercent)
                    .append(" % of them as a canary, while a worker serves it");
        }
        return text.append('.').toString();
    }
}
