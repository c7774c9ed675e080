package io.aiaas.worker.health;

import io.aiaas.engine.OnnxEngine;
import io.aiaas.worker.lifecycle.WorkerLifecycle;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when {@link WorkerLifecycle} says so (registered and the placed versions settled, not draining); reports the
 * device, how many versions are READY and EVICTED, and why it is not ready.
 */
@Readiness
@ApplicationScoped
public class WorkerReadinessCheck implements HealthCheck {

    private final OnnxEngine engine;
    private final ModelRegistry registry;
    private final WorkerLifecycle lifecycle;

    public WorkerReadinessCheck(OnnxEngine engine, ModelRegistry registry, WorkerLifecycle lifecycle) {
        this.engine = engine;
        this.registry = registry;
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        long ready = registry.all().stream().filter(v -> v.state() == ModelState.READY).count();
        long evicted = registry.all().stream().filter(v -> v.state() == ModelState.EVICTED).count();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("inference-worker")
                .status(lifecycle.ready())
                .withData("device", engine.defaultDevice())
                .withData("models_ready", ready)
                .withData("models_evicted", evicted);
        if (engine.fallbackReason() != null) {
            response.withData("cuda_fallback", engine.fallbackReason());
        }
        String why = lifecycle.notReadyReason();
        if (why != null) {
            response.withData("reason", why);
        }
        return response.build();
    }
}
