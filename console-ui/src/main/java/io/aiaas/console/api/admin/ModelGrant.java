package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One tenant a model is shared with ({@code "grants"} of the admin model card, sorted by tenant slug): it may call the
 * model's versions, see its card and pin a version like the owner while the model is private (a public model every
 * tenant may call anyway).
 *
 * @param tenant the tenant's slug
 * @param tenantName the tenant's name
 * @param grantedAt when it was first granted (granting again keeps it)
 * @param grantedBy who granted it (the platform admin's e-mail)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelGrant(String tenant, String tenantName, Instant grantedAt, String grantedBy) {
}
