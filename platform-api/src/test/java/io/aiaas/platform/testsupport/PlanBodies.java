package io.aiaas.platform.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plan bodies for tests as mutable maps (so a test can break one field), and shortcuts to create a plan and put a
 * tenant on it through the admin API.
 */
public final class PlanBodies {

    private PlanBodies() {
    }

    /**
     * A valid plan in USD with a unique name: fee 12.50, credit 5.00, rate limits, an overall hard request quota of
     * 1,000, a hard budget of 5.00 and a default price of 0.20 per 1,000 requests (graduated: 0.10 after 1,000).
     */
    public static Map<String, Object> spec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", Api.unique("plan"));
        spec.put("currency", "USD");
        spec.put("monthly_fee_micros", 12_500_000L);
        spec.put("included_credit_micros", 5_000_000L);
        spec.put("rate_limits", new LinkedHashMap<>(Map.of("requests_per_minute_per_key", 60,
                "requests_per_minute_per_tenant", 600, "max_concurrent_requests", 8)));
        spec.put("quotas", new ArrayList<>(List.of(quota("requests", null, 1000, "hard"))));
        spec.put("budget", new LinkedHashMap<>(Map.of("limit_micros", 5_000_000L, "enforcement", "hard")));
        spec.put("prices", new ArrayList<>(List.of(price(null, tiers(tier(1000L, 200_000L), tier(null, 100_000L))))));
        return spec;
    }

    public static Map<String, Object> quota(String metric, String model, long limit, String enforcement) {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("metric", metric);
        if (model != null) {
            quota.put("model", model);
        }
        quota.put("limit", limit);
        quota.put("enforcement", enforcement);
        return quota;
    }

    /** A model's price (model null: the default) with a per-1,000-requests component. */
    public static Map<String, Object> price(String model, Map<String, Object> per1kRequests) {
        Map<String, Object> price = new LinkedHashMap<>();
        if (model != null) {
            price.put("model", model);
        }
        price.put("per_1k_requests", per1kRequests);
        return price;
    }

    @SafeVarargs
    public static Map<String, Object> tiers(Map<String, Object>... tiers) {
        return new LinkedHashMap<>(Map.of("tiering", "graduated", "tiers", new ArrayList<>(List.of(tiers))));
    }

    public static Map<String, Object> tier(Long upTo, long unitMicros) {
        Map<String, Object> tier = new LinkedHashMap<>();
        if (upTo != null) {
            tier.put("up_to", upTo);
        }
        tier.put("unit_micros", unitMicros);
        return tier;
    }

    /** Creates the plan as platform admin; answers its id. */
    public static String create(Map<String, Object> spec) {
        return Api.as(Tokens.admin()).body(spec).post("/admin/v1/plans").then().statusCode(201).extract().path("id");
    }

    /** Puts the tenant on the plan from now on. */
    public static void assign(String slug, String planId) {
        Api.as(Tokens.admin()).body(Map.of("plan_id", planId)).patch("/admin/v1/tenants/" + slug).then()
                .statusCode(200);
    }
}
