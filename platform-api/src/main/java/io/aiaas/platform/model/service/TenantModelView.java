package io.aiaas.platform.model.service;

import java.time.Instant;
import java.util.List;

/**
 * A model card as a tenant sees it: a model the tenant may call, with its READY versions only (tenant API), each
 * with its signature, warm-up and example request and answer.
 */
public record TenantModelView(String name, String description, String visibility, Integer latestVersion,
        List<Version> versions) {

    /** A callable version; {@code deprecation} says when the platform retires it (null: not deprecated). */
    public record Version(int version, String sha256, long sizeBytes, SignatureView signature, Instant createdAt,
            WarmupView warmup, ExampleView example, DeprecationView deprecation) {
    }
}
