package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * {@code GET /api/v1/tenants/{slug}/credits}: what the tenant's invoices may still draw on per currency (active grants
 * only) and every grant it was given, newest first.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TenantCredits(List<Balance> balances, List<CreditGrant> grants) {

    public List<Balance> balances() {
        return balances == null ? List.of() : balances;
    }

    public List<CreditGrant> grants() {
        return grants == null ? List.of() : grants;
    }

    /** The credit left in one currency. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Balance(String currency, long remainingNanos, String remaining) {
    }
}
