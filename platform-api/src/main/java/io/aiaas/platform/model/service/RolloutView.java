package io.aiaas.platform.model.service;

/**
 * How a model's calls that name no version are shared out: {@code stable_version} takes them (null: the newest
 * version a worker serves), {@code canary_version} takes {@code canary_percent} of them while a worker serves it
 * (null, null: no canary). A tenant's pin wins over both; a call that names a version ignores them.
 */
public record RolloutView(Integer stableVersion, Integer canaryVersion, Integer canaryPercent) {
}
