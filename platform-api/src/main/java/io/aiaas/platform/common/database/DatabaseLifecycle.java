package io.aiaas.platform.common.database;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the embedded PostgreSQL server (when this process started one) after everything else has shut down. */
@ApplicationScoped
public class DatabaseLifecycle {

    // runs after the other shutdown observers (higher priority value = later), so the pool is idle by then
    void onStop(@Observes @Priority(10_000) ShutdownEvent event) {
        EmbeddedPostgresServer.stop();
    }
}
