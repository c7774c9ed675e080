package io.aiaas.platform.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of tenant webhooks and their delivery ({@code aiaas.webhooks.*}); see docs/webhooks.md. */
@ConfigMapping(prefix = "aiaas.webhooks")
public interface WebhookConfig {

    /** How often each replica looks for due deliveries. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Deliveries claimed and sent (concurrently) per cycle. */
    @WithDefault("16")
    int batchSize();

    /** Time to open the TCP (and TLS) connection to a receiver. */
    @WithDefault("3s")
    Duration connectTimeout();

    /** Time for the receiver to answer once connected. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Attempts in all (the first included) before a delivery is FAILED. */
    @WithDefault("20")
    int maxAttempts();

    /** Wait before the first retry; each further retry waits twice as long, with +-25% jitter. */
    @WithDefault("2s")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("1h")
    Duration maxBackoff();

    /**
     * How long a finished delivery (DELIVERED or FAILED) is kept after it was queued, then deleted; at least a day,
     * or 0 to keep deliveries for ever. A pending one is never deleted.
     */
    @WithDefault("90d")
    Duration retention();

    /**
     * Whether webhook URLs may point at loopback, private, link-local or other internal addresses. Off in
     * production: a tenant must not make the platform call into its own network (SSRF).
     */
    @WithDefault("false")
    boolean allowPrivateAddresses();
}
