package io.aiaas.platform.worker.enrolment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Worker enrolment ({@code aiaas.workers.enrolment.*}). */
@ConfigMapping(prefix = "aiaas.workers.enrolment")
public interface EnrolmentConfig {

    /**
     * An enrolment token both sides know from configuration, with no use limit and no expiry, for local runs
     * (the local launcher passes one per run): env {@code AIAAS_WORKERS_ENROLMENT_BOOTSTRAP_TOKEN}, at least 32
     * characters. Unset: no bootstrap token, and one left from an earlier start is revoked.
     */
    Optional<String> bootstrapToken();

    /** How long a new enrolment token is valid unless the request says otherwise. */
    @WithDefault("1h")
    Duration defaultTokenTtl();

    /** The longest validity a request may ask for. */
    @WithDefault("30d")
    Duration maxTokenTtl();
}
