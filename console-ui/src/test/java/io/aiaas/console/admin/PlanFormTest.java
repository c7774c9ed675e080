package io.aiaas.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.PlanSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlanFormTest {

    private static Long micros(String text) {
        Map<String, String> errors = new HashMap<>();
        Long value = PlanForm.micros(text, errors, "f");
        return errors.isEmpty() ? value : null;
    }

    @Test
    void decimalsBecomeMicroUnitsExactly() {
        assertEquals(2_000L, micros("0.002"));
        assertEquals(1L, micros("0.000001"));
        assertEquals(49_500_000L, micros("49.50"));
        assertEquals(0L, micros("0"));
        assertEquals(100_000_000L, micros("100.000000"));
        // 0.1 + 0.2 is where floating point goes wrong; BigDecimal does not
        assertEquals(300_000L, micros("0.3"));
    }

    @Test
    void moreThanSixDecimalsNegativeOrNotANumberIsRefused() {
        Map<String, String> errors = new HashMap<>();
        assertNull(PlanForm.micros("0.0000001", errors, "a"));
        assertNull(PlanForm.micros("-1", errors, "b"));
        assertNull(PlanForm.micros("1,5", errors, "c"));
        assertNull(PlanForm.micros("99999999999999999", errors, "d"));
        assertTrue(errors.get("a").startsWith("at most 6 decimals"));
        assertEquals("must not be negative", errors.get("b"));
        assertEquals("enter an amount such as 0.002", errors.get("c"));
        assertEquals("too large", errors.get("d"));
    }

    @Test
    void anExistingPlanRoundTripsThroughTheForm() {
        PlanSpec.PriceComponent perRequest = new PlanSpec.PriceComponent("volume",
                List.of(new PlanSpec.Tier(1000L, 2000L), new PlanSpec.Tier(null, 1000L)));
        Plan plan = new Plan(UUID.randomUUID(), "Pro", "EUR", 2, Instant.EPOCH, Instant.EPOCH, null, false,
                12_340_000L, "12.34", 0L, "0.00", new PlanSpec.RateLimits(60, null, 2),
                List.of(new PlanSpec.Quota("items", "resnet", 5000L, "soft")),
                new PlanSpec.Budget(1_000_000L, "hard"),
                List.of(new PlanSpec.ModelPrice(null, perRequest, null, null),
                        new PlanSpec.ModelPrice("resnet", null, null,
                                new PlanSpec.PriceComponent("graduated", List.of(new PlanSpec.Tier(null, 1500L))))));
        PlanForm form = PlanForm.of(plan);
        assertEquals("12.34", form.monthlyFee);
        assertEquals(3, form.quotas.size(), "one filled row and blank ones up to three");
        assertEquals(4, form.prices.size(), "the default and three model rows");

        Map<String, String> submitted = new HashMap<>();
        submitted.put("name", form.name);
        submitted.put("currency", form.currency);
        submitted.put("monthly_fee", form.monthlyFee);
        submitted.put("included_credit", form.includedCredit);
        submitted.put("rpm_key", form.rpmKey);
        submitted.put("rpm_tenant", form.rpmTenant);
        submitted.put("concurrency", form.concurrency);
        submitted.put("budget_limit", form.budgetLimit);
        submitted.put("budget_enforcement", form.budgetEnforcement);
        form.quotas.forEach(q -> {
            submitted.put(q.name("metric"), q.metric());
            submitted.put(q.name("model"), q.model());
            submitted.put(q.name("limit"), q.limit());
            submitted.put(q.name("enforcement"), q.enforcement());
        });
        form.prices.forEach(p -> {
            submitted.put(p.name("model"), p.model());
            p.components().forEach(c -> {
                submitted.put(c.name("tiering"), c.tiering());
                c.tiers().forEach(t -> {
                    submitted.put(t.name("up_to"), t.upTo());
                    submitted.put(t.name("price"), t.price());
                });
            });
        });
        PlanForm.Result result = PlanForm.parse(submitted::get).toSpec();
        assertTrue(result.valid(), () -> result.errors().toString());
        PlanSpec spec = result.spec();
        assertEquals(new PlanSpec("Pro", "EUR", 12_340_000L, 0L, plan.rateLimits(), plan.quotas(), plan.budget(),
                plan.prices()), spec);
    }

    @Test
    void agesAndSizesReadLikeWords() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        assertEquals("12 s ago", Ago.between(now.minusSeconds(12), now));
        assertEquals("5 min ago", Ago.between(now.minusSeconds(300), now));
        assertEquals("2 d ago", Ago.between(now.minusSeconds(2 * 86_400 + 5), now));
        assertEquals("never", Ago.between(null, now));
        assertEquals("812 B", Bytes.human(812));
        assertEquals("3.0 MB", Bytes.human(3 * 1024 * 1024 + 17));
        assertEquals("12 GB", Bytes.human(12L * 1024 * 1024 * 1024));
    }
}
