package io.aiaas.platform.apikey;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of API keys ({@code aiaas.api-keys.*}). */
@ConfigMapping(prefix = "aiaas.api-keys")
public interface ApiKeyConfig {

    /**
     * How long a key lookup is reused. Revocations, expiries and suspensions reach every replica at once through
     * PostgreSQL NOTIFY; this bounds how late they take effect if a replica missed a notification.
     */
    @WithDefault("2s")
    Duration cacheTtl();

    /**
     * How long before a key expires its tenant is told ({@code api_key.expiring} webhook event), once per key; 0 for
     * never. A key issued or rotated out with an expiry closer than this is not announced: whoever chose it knows.
     */
    @WithDefault("7d")
    Duration expiryNotice();
}
