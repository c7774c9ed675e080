package io.aiaas.platform.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Plans for tests written straight into PostgreSQL (the admin API has its own tests): a plan from its JSON spec, and
 * a tenant put on it from a second ago, with the NOTIFY every replica's plan cache listens to.
 */
@ApplicationScoped
public class Plans {

    private final TestDb db;

    Plans(TestDb db) {
        this.db = db;
    }

    /** Stores a plan; {@code specJson} must be a valid PlanSpec whose name and currency are given here. */
    public UUID create(String name, String currency, String specJson) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO plans (id, name, currency, spec) VALUES (?, ?, ?, CAST(? AS jsonb))", id, name,
                currency, specJson);
        return id;
    }

    /** Puts the tenant on the plan from one second ago. */
    public void assign(UUID tenantId, UUID planId) {
        db.update("INSERT INTO tenant_plans (id, tenant_id, plan_id, effective_from) VALUES (?, ?, ?, ?)",
                UUID.randomUUID(), tenantId, planId, OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1));
        db.value("SELECT pg_notify('aiaas_plans_changed', ?)", tenantId.toString());
    }

    /** A USD plan spec with the given parts (JSON fragments, or null) and a unique name. */
    public static String spec(String name, String rateLimits, String quotas, String budget, String prices) {
        return """
                {"name": "%s", "currency": "USD", "monthly_fee_micros": 0, "included_credit_micros": 0,
                 "rate_limits": %s, "quotas": %s, "budget": %s, "prices": %s}"""
                .formatted(name, rateLimits, quotas == null ? "[]" : quotas, budget, prices);
    }

    /** A default price of {@code unitMicros} per 1,000 requests and nothing else. */
    public static String perRequest(long unitMicros) {
        return """
                [{"model": null, "per_1k_requests": {"tiers": [{"up_to": null, "unit_micros": %d}]}}]"""
                .formatted(unitMicros);
    }
}
