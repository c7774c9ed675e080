package io.aiaas.platform.model.service;

import java.time.Instant;

/**
 * How a model's calls that name no version are shared out: {@code stable_version} takes them (null: the newest
 * version a worker serves), {@code canary_version} takes {@code canary_percent} of them while a worker serves it
 * (null, null: no canary), drawn per call or per tenant ({@code canary_by}), set at {@code canary_since}, and rolled
 * back by the platform when {@code rollback_error_percent} of a window of {@code rollback_window} of its calls fail
 * (null: never). {@code last_rollback}: the platform's last rollback of a canary, until the rollout is set again.
 * {@code shadow_version} gets a copy of {@code shadow_percent} of the calls, compared and thrown away. A
 * tenant's pin wins over all of it; a call that names a version ignores it.
 */
public record RolloutView(Integer stableVersion, Integer canaryVersion, Integer canaryPercent, String canaryBy,
        Instant canarySince, Integer rollbackErrorPercent, Integer rollbackWindow, Rollback lastRollback,
        Integer shadowVersion, Integer shadowPercent) {

    /** An automatic rollback: the canary version, when, and the calls of the window that failed it. */
    public record Rollback(int version, Instant at, Integer calls, Integer failures) {
    }
}
