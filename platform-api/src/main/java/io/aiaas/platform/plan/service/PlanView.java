package io.aiaas.platform.plan.service;

import io.aiaas.platform.plan.service.PlanSpec.Budget;
import io.aiaas.platform.plan.service.PlanSpec.ModelPrice;
import io.aiaas.platform.plan.service.PlanSpec.Quota;
import io.aiaas.platform.plan.service.PlanSpec.RateLimits;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A plan as the admin API shows it: its identity and revision, then the fields of its {@link PlanSpec}. Money is in
 * micro-units, and the fee and credit also as decimal strings ({@code monthly_fee}, {@code included_credit}).
 * {@code archived_at} is null while the plan takes new tenants; {@code self_service} says whether tenant admins may
 * choose it themselves.
 */
public record PlanView(UUID id, String name, String currency, int revision, Instant createdAt, Instant updatedAt,
        Instant archivedAt, boolean selfService, long monthlyFeeMicros, String monthlyFee, long includedCreditMicros,
        String includedCredit, RateLimits rateLimits, List<Quota> quotas, Budget budget, List<ModelPrice> prices) {

    static PlanView of(UUID id, int revision, Instant createdAt, Instant updatedAt, Instant archivedAt,
            boolean selfService, PlanSpec spec) {
        return new PlanView(id, spec.name(), spec.currency(), revision, createdAt, updatedAt, archivedAt, selfService,
                spec.monthlyFeeMicros(), Amounts.micros(spec.monthlyFeeMicros(), spec.currency()),
                spec.includedCreditMicros(), Amounts.micros(spec.includedCreditMicros(), spec.currency()),
                spec.rateLimits(), spec.quotasOrEmpty(), spec.budget(), spec.prices());
    }
}
