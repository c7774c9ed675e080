package io.aiaas.platform.billing.credit.service;

import java.util.List;

/**
 * Body of {@code GET /api/v1/tenants/{slug}/credits}: what the tenant's invoices may still draw on, per currency (active
 * grants only), and every grant it was given, newest first.
 */
public record TenantCredits(List<Balance> balances, List<CreditGrantView> grants) {

    /** The credit left to draw on in one currency. */
    public record Balance(String currency, long remainingNanos, String remaining) {
    }
}
