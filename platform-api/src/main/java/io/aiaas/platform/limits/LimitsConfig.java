package io.aiaas.platform.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of rate limits, concurrency, quotas and budgets across replicas ({@code aiaas.limits.*}). */
@ConfigMapping(prefix = "aiaas.limits")
public interface LimitsConfig {

    /**
     * How long capacity a replica took from PostgreSQL stays its own without renewal. A replica that dies gives its
     * quota, budget and concurrency leases back to the others after this long.
     */
    @WithDefault("15s")
    Duration leaseTtl();

    /** How often a replica renews its leases and gives back capacity it has not used for {@link #idleReturn()}. */
    @WithDefault("500ms")
    Duration maintainInterval();

    /** Capacity unused this long goes back to PostgreSQL, where other replicas can take it. */
    @WithDefault("1s")
    Duration idleReturn();

    /**
     * One lease takes at most this share (1/n) of what is still free, so that replicas which need capacity later
     * still find some; it never takes less than one call needs.
     */
    @WithDefault("4")
    int shareDivisor();

    /** A lease is sized to about this much of the replica's recent demand, so that most calls need no round trip. */
    @WithDefault("1s")
    Duration demandHorizon();
}
