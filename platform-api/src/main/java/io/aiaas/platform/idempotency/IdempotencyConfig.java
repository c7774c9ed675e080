package io.aiaas.platform.idempotency;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of {@code Idempotency-Key} on inference calls ({@code aiaas.idempotency.*}). */
@ConfigMapping(prefix = "aiaas.idempotency")
public interface IdempotencyConfig {

    /** How long a key is remembered after its first call began: a retry within it is never billed twice. */
    @WithDefault("24h")
    Duration ttl();

    /** Largest answer (body plus stored headers) kept for replay; a larger one leaves the key TOO_LARGE. */
    @WithDefault("1M")
    MemorySize maxResponseBytes();

    /**
     * How long a call holds its key before a retry may take it over (its replica is presumed dead). It must exceed
     * the longest a call can run (worker timeout, retries, usage commit timeout), or a slow call could be taken over.
     */
    @WithDefault("2m")
    Duration lockTimeout();

    /** When expired keys are deleted (Quartz cron, every 10 minutes by default); any replica may run it. */
    @WithDefault("0 */10 * * * ?")
    String sweepCron();
}
