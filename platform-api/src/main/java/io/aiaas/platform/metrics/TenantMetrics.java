package io.aiaas.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control plane's per-tenant meters of inference calls (Prometheus at {@code /q/metrics}; docs/observability.md),
 * moved once per call where the gateway settles it, from what its usage row says, so REST and gRPC calls count alike.
 * Tags are the tenant's slug, the model's name and the error code only: never a request, key or user id, so that the
 * number of series stays bounded by tenants times models.
 */
@ApplicationScoped
public class TenantMetrics {

    static final String REQUESTS = "aiaas.tenant.request";
    static final String ERRORS = "aiaas.tenant.error";
    static final String REFUSALS = "aiaas.tenant.refusal";
    static final String BILLABLE_ITEMS = "aiaas.tenant.billable.items";
    /** The model tag of a call that named no model its tenant may use (no model name starts with "_"). */
    public static final String NO_MODEL = "_none";
    /** Error codes of calls the platform refused by the tenant's plan or state rather than failed. */
    static final Set<String> REFUSAL_CODES = Set.of("rate_limited", "concurrency_limited", "quota_exceeded",
            "budget_exceeded", "tenant_budget_exceeded", "key_budget_exceeded", "tenant_suspended", "tenant_closed",
            "key_disabled");

    private final MeterRegistry registry;
    /**
     * The counters already registered, by name and tags: Micrometer's builder and register cost a few microseconds a
     * call (a new Tags, a lookup under the registry's lock), twice per billed call. Meters are never removed.
     */
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

    private record CounterKey(String name, String tenant, String tag, String value) {
    }

    public TenantMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * One infer call of {@code tenant} settled with {@code status}.
     *
     * @param model the model the call resolved to, or null when it named none the tenant may use
     * @param errorCode the usage row's error code (null on success); the {@code reason} tag
     * @param billedItems the items billed, or -1 when the call was not billed
     */
    public void inferSettled(String tenant, String model, int status, String errorCode, long billedItems) {
        String modelTag = model == null ? NO_MODEL : model;
        counter(REQUESTS, "model", tenant, modelTag, "Infer calls settled (usage rows written), by tenant and model")
                .increment();
        if (billedItems >= 0) {
            counter(BILLABLE_ITEMS, "model", tenant, modelTag, "Items billed, by tenant and model")
                    .increment(billedItems);
        }
        if (status >= 200 && status < 300) {
            return;
        }
        String reason = errorCode == null ? "http_" + status : errorCode;
        if (REFUSAL_CODES.contains(reason)) {
            counter(REFUSALS, "reason", tenant, reason,
                    "Infer calls refused by the tenant's plan limits or state, by reason").increment();
        } else {
            counter(ERRORS, "reason", tenant, reason, "Infer calls answered with an error, by error code").increment();
        }
    }

    /** The counter {@code name} with tags tenant and {@code tag}, registered on first use. */
    private Counter counter(String name, String tag, String tenant, String value, String description) {
        CounterKey key = new CounterKey(name, tenant, tag, value);
        Counter known = counters.get(key);
        return known != null ? known : counters.computeIfAbsent(key, k -> Counter.builder(name)
                .tags(Tags.of("tenant", tenant, tag, value)).description(description).register(registry));
    }
}
