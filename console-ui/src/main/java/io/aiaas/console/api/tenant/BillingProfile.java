package io.aiaas.console.api.tenant;

import java.time.Instant;

/**
 * A tenant's billing profile as {@code GET .../billing-profile} answers it: who its invoices are addressed to, and when
 * and by whom it was last changed. Every field is null when it was never set (platform-api answers {@code {}}).
 */
public record BillingProfile(String legalName, String addressLine1, String addressLine2, String city,
        String postalCode, String region, String country, String taxId, String email, Instant updatedAt,
        String updatedBy) {

    /** Whether it was ever set: the legal name is required, so a profile without one is none. */
    public boolean set() {
        return legalName != null;
    }

    /** The profile as a party to an invoice (the address block), or null when it was never set. */
    public BillingParty party() {
        return set() ? new BillingParty(legalName, addressLine1, addressLine2, city, postalCode, region, country,
                taxId, email) : null;
    }
}
