package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A model's rollout as the model card shows it ({@code "rollout"}): where its calls that name no version go.
 * {@code stableVersion} takes the calls (null: the newest version a worker serves); {@code canaryVersion} takes
 * {@code canaryPercent} (1-99) of them while a worker serves it (both null: no canary), drawn per call
 * ({@code canaryBy} {@value #BY_CALL}) or by tenant ({@value #BY_TENANT}: a hash of tenant, model and canary version puts
 * each tenant on one side). With {@code rollbackErrorPercent} the platform clears the canary by itself when that
 * percent of a window of {@code rollbackWindow} canary calls fail on the server side; {@code lastRollback} says when it
 * last did. {@code shadowVersion} gets a copy of {@code shadowPercent} (1-100) of those calls once the version that
 * answers has answered; platform-api compares the two answers and throws the shadow's away (never sent, never billed),
 * counting the outcomes in the Prometheus counter {@code aiaas_shadow_calls_total}. A tenant's own pin wins over all
 * this; a call that names a version ignores it. What the console sends to change it is a {@link RolloutRequest}:
 * {@code canarySince} and {@code lastRollback} are platform-api's alone.
 *
 * @param canaryBy {@value #BY_CALL} or {@value #BY_TENANT} with a canary, else null
 * @param rollbackErrorPercent 1-100, or null: no automatic rollback
 * @param rollbackWindow how many canary calls are judged together (10-100000), null without automatic rollback
 * @param canarySince when the canary was set (read-only)
 * @param lastRollback the platform's last automatic rollback of this model's canary, or null (read-only; saving the
 *        rollout clears it)
 * @param shadowVersion the version that gets a copy of calls, neither the stable version nor the canary; null: none
 * @param shadowPercent the share of calls copied to it (1-100) with a shadow, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Rollout(Integer stableVersion, Integer canaryVersion, Integer canaryPercent, String canaryBy,
        Integer rollbackErrorPercent, Integer rollbackWindow, Instant canarySince, LastRollback lastRollback,
        Integer shadowVersion, Integer shadowPercent) {

    /** {@code canary_by}: the canary's share drawn at random per call (platform-api's default). */
    public static final String BY_CALL = "call";
    /** {@code canary_by}: each tenant on the canary or the stable side, kept there while the canary lasts. */
    public static final String BY_TENANT = "tenant";
    /** The window platform-api judges when an automatic rollback is set without one. */
    public static final int DEFAULT_ROLLBACK_WINDOW = 100;

    /** No rollout: calls that name no version go to the newest version a worker serves. */
    public static final Rollout NONE = new Rollout(null, null, null, null, null, null, null, null, null, null);

    /** Whether anything is set (a stable version, a canary or a shadow). */
    public boolean any() {
        return stableVersion != null || canaryVersion != null || shadowVersion != null;
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

    public boolean isShadow(int version) {
        return shadowVersion != null && shadowVersion == version;
    }

    /**
     * The rollout in words, e.g. "Calls that name no version go to version 3; version 4 takes 10 % of them as a
     * canary, while a worker serves it, sticky per tenant; version 4 is rolled back automatically when 5 % of a window
     * of 100 calls fail; version 5 gets a copy of 25 % of them as a shadow, compared and never answered."
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
            if (BY_TENANT.equals(canaryBy)) {
                text.append(", sticky per tenant");
            }
            if (rollbackErrorPercent != null) {
                text.append("; version ").append(canaryVersion).append(" is rolled back automatically when ")
                        .append(rollbackErrorPercent).append(" % of a window of ")
                        .append(rollbackWindow != null ? rollbackWindow : DEFAULT_ROLLBACK_WINDOW)
                        .append(" calls fail");
            }
        }
        if (shadowVersion != null) {
            text.append("; version ").append(shadowVersion).append(" gets a copy of ").append(shadowPercent)
                    .append(" % of them as a shadow, compared and never answered");
        }
        return text.append('.').toString();
    }

    /**
     * An automatic rollback: the canary {@code version} cleared {@code at} that time, after {@code failures} of
     * {@code calls} canary calls (the window) failed on the server side; the counts null where platform-api did not
     * give them.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LastRollback(int version, Instant at, Integer calls, Integer failures) {

        /** Whether both counts are known, for the page to say them. */
        public boolean counted() {
            return calls != null && failures != null;
        }
    }
}
