package io.aiaas.platform.billing.credit.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/credits}: credit for a tenant's invoices in one currency (micro-units of it), why, and
 * optionally until when it may be drawn on (absent: until spent or voided).
 */
public record GrantCreditRequest(@NotBlank @Size(max = 63) String tenant,
        @NotNull @Positive @Max(value = MAX_AMOUNT_MICROS, message = AMOUNT_MAX) Long amountMicros,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
        @NotBlank @Size(max = 1000) String reason,
        @Future @StorableTimestamp Instant expiresAt) {

    /** 10^15 micro-units (a billion of the currency), as a key's cap: in nano-units it still fits a long. */
    public static final long MAX_AMOUNT_MICROS = 1_000_000_000_000_000L;
    static final String AMOUNT_MAX = "must be at most 1000000000000000 (micro-units)";
}
