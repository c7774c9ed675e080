package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.aiaas.console.api.admin.PlanSpec.Budget;
import io.aiaas.console.api.admin.PlanSpec.ModelPrice;
import io.aiaas.console.api.admin.PlanSpec.Quota;
import io.aiaas.console.api.admin.PlanSpec.RateLimits;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A plan as the admin API shows it: identity and revision, then its {@link PlanSpec} (money in micro-units);
 * {@code selfService}: tenant admins may choose it for their tenant themselves.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Plan(UUID id, String name, String currency, int revision, Instant createdAt, Instant updatedAt,
        Instant archivedAt, boolean selfService, long monthlyFeeMicros, String monthlyFee, long includedCreditMicros,
        String includedCredit, RateLimits rateLimits, List<Quota> quotas, Budget budget, List<ModelPrice> prices) {

    public List<Quota> quotas() {
        return quotas == null ? List.of() : quotas;
    }

    public List<ModelPrice> prices() {
        return prices == null ? List.of() : prices;
    }

    /** An archived plan takes no new tenants; those on it stay. */
    public boolean archived() {
        return archivedAt != null;
    }

    /** How many models have their own prices (the default entry not counted). */
    public long modelPriceCount() {
        return prices().stream().filter(p -> p.model() != null).count();
    }
}
