package io.aiaas.platform.billing.profile.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A party to an invoice: the tenant it is addressed to ({@code bill_to}) or the platform that issues it
 * ({@code issuer}). {@code country} is an ISO 3166-1 alpha-2 code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BillingParty(String legalName, String addressLine1, String addressLine2, String city,
        String postalCode, String region, String country, String taxId, String email) {
}
