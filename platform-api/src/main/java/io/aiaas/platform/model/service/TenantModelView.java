package io.aiaas.platform.model.service;

import java.time.Instant;
import java.util.List;

/** A model a tenant may call, with its READY versions only (tenant API). */
public record TenantModelView(String name, String description, String visibility, Integer latestVersion,
        List<Version> versions) {

    /** A callable version and its signature. */
    public record Version(int version, String sha256, long sizeBytes, SignatureView signature, Instant createdAt) {
    }
}
