package io.aiaas.platform.billing.profile.service;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/billing-profile}: the whole profile (a field left out is cleared).
 * {@code country} is an ISO 3166-1 alpha-2 code such as DE or US.
 */
public record BillingProfileRequest(@NotBlank @Size(max = 200) String legalName,
        @NotBlank @Size(max = 200) String addressLine1, @Size(max = 200) String addressLine2,
        @NotBlank @Size(max = 100) String city, @Size(max = 20) String postalCode, @Size(max = 100) String region,
        @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as DE or US")
        String country,
        @Size(max = 50) String taxId, @Email @Size(max = 320) String email) {
}
