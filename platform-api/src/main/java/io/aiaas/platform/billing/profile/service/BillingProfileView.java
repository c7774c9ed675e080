package io.aiaas.platform.billing.profile.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A tenant's billing profile with when and by whom it was last changed; {@code {}} when it was never set.
 * {@code country} is an ISO 3166-1 alpha-2 code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BillingProfileView(String legalName, String addressLine1, String addressLine2, String city,
        String postalCode, String region, String country, String taxId, String email, Instant updatedAt,
        String updatedBy) {

    static final BillingProfileView NONE = new BillingProfileView(null, null, null, null, null, null, null, null, null,
            null, null);

    static BillingProfileView of(BillingParty p, Instant updatedAt, String updatedBy) {
        return new BillingProfileView(p.legalName(), p.addressLine1(), p.addressLine2(), p.city(), p.postalCode(),
                p.region(), p.country(), p.taxId(), p.email(), updatedAt, updatedBy);
    }
}
