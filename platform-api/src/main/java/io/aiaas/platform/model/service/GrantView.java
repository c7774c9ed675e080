package io.aiaas.platform.model.service;

import java.time.Instant;

/** A tenant a private model is shared with, besides its owner (admin model card). */
public record GrantView(String tenant, String tenantName, Instant grantedAt, String grantedBy) {
}
