package io.aiaas.platform.billing.events;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The thresholds a monthly cap is past the moment it is set: a tenant's own budget or a key's cap set at or below what
 * the period has spent already. They are billing events (and webhooks) as when a batch of calls crosses them, in the
 * transaction of the change; each is recorded once per period ({@link BillingEvents}), so one announced before, or by
 * a usage batch at the same moment, is not announced again. Without this, calls would be refused from that moment
 * and the thresholds never announced, since no batch crosses them any more.
 */
@ApplicationScoped
public class CapsReached {

    private static final String SPENT = """
            SELECT cost_nanos FROM period_usage WHERE tenant_id = ? AND billing_period = ? AND scope = ?""";

    private final Jdbc jdbc;

    CapsReached(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** After the tenant's own monthly budget was set to {@code capMicros} (its spend is scope {@code *}). */
    public void tenantCapSet(UUID tenantId, LocalDate period, long capMicros) {
        record(tenantId, period, Thresholds.crossedTenantCap(capMicros, Map.of(), spent(tenantId, period, "*")));
    }

    /** After a key's monthly cap was set to {@code capMicros}; {@code scope} is the key's ({@code key:<id>}). */
    public void keyCapSet(UUID tenantId, LocalDate period, String scope, long capMicros) {
        record(tenantId, period, Thresholds.crossedKeyCaps(Map.of(scope, capMicros), Map.of(),
                spent(tenantId, period, scope)));
    }

    private Map<String, Consumption> spent(UUID tenantId, LocalDate period, String scope) {
        long nanos = jdbc.queryFirst(SPENT, rs -> rs.getLong(1), tenantId, period, scope).orElse(0L);
        return Map.of(scope, new Consumption(0, 0, 0, nanos));
    }

    private void record(UUID tenantId, LocalDate period, List<Crossed> reached) {
        if (!reached.isEmpty()) {
            jdbc.withConnection(c -> BillingEvents.record(c, tenantId, period, reached));
        }
    }
}
