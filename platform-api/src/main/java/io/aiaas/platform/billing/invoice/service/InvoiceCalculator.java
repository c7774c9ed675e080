package io.aiaas.platform.billing.invoice.service;

import io.aiaas.platform.billing.credit.service.CreditService;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.LineRow;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.ModelUsage;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.PeriodTotals;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.billing.pricing.Pricing;
import io.aiaas.platform.billing.tax.service.AppliedTax;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.plan.service.PlanSpec.ModelPrice;
import io.aiaas.platform.plan.service.PlanSpec.PriceComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Computes the lines and totals of a period's invoice from the roll-ups, without touching the database: a fee line,
 * one usage line per model and price component, a volume-tier adjustment where the plan prices a component by
 * volume, and the included credit. Integer arithmetic; the total is rounded to minor units once.
 */
public final class InvoiceCalculator {

    /** The three price components, in the order their lines appear. */
    public enum Component {
        REQUESTS("requests"), ITEMS("items"), COMPUTE("compute");

        public final String column;

        Component(String column) {
            this.column = column;
        }
    }

    /** A computed invoice (one per currency that the period's usage or plan has). */
    public record Computed(String currency, UUID planId, List<LineRow> lines, long usageNanos, long feeNanos,
            long creditNanos, long adjustmentNanos, long totalNanos, long totalMinor, long taxNanos, AppliedTax tax) {
    }

    private InvoiceCalculator() {
    }

    /**
     * @param usage the period's roll-ups summed per currency and model
     * @param totals the billable totals of a model in the period (period_usage), which volume tiers price
     * @param feePlan the plan whose fee and credit apply ({@link #feePlan}); null when the tenant had no plan
     * @param endPlan the plan in effect at the period's last instant: its volume tiers settle the period
     * @param defaultCurrency the currency when neither a plan nor priced usage names one
     * @return the main invoice (the fee plan's currency) first, then one per other currency that usage was priced in
     */
    public static List<Computed> compute(List<ModelUsage> usage, Function<String, PeriodTotals> totals,
            ActivePlan feePlan, ActivePlan endPlan, String defaultCurrency) {
        String main = feePlan != null ? feePlan.spec().currency()
                : endPlan != null ? endPlan.spec().currency()
                : usage.stream().map(ModelUsage::currency).filter(Objects::nonNull).findFirst()
                        .orElse(defaultCurrency);
        Map<String, List<ModelUsage>> byCurrency = new LinkedHashMap<>();
        byCurrency.put(main, new ArrayList<>());
        for (ModelUsage u : usage) {
            // rows without a currency were recorded without a plan: free, they belong on the main invoice
            String currency = u.currency() == null ? main : u.currency();
            byCurrency.computeIfAbsent(currency, c -> new ArrayList<>()).add(u);
        }
        List<Computed> invoices = new ArrayList<>();
        for (Map.Entry<String, List<ModelUsage>> entry : byCurrency.entrySet()) {
            boolean isMain = entry.getKey().equals(main);
            invoices.add(one(entry.getKey(), merge(entry.getValue()), totals, isMain ? feePlan : null,
                    endPlan != null && endPlan.spec().currency().equals(entry.getKey()) ? endPlan : null));
        }
        return invoices;
    }

    /**
     * The plan whose fee and included credit a period carries: of the plans the tenant had during the period (in the
     * order they took effect), the one of highest monthly fee in the currency of the first; the earliest wins a tie.
     * So a change within a period never gives a bigger plan's limits for a smaller plan's fee, and a move down keeps
     * the fee the period started with. Null when there is none.
     */
    public static ActivePlan feePlan(List<ActivePlan> during) {
        ActivePlan fee = during.isEmpty() ? null : during.get(0);
        for (ActivePlan plan : during) {
            if (plan.spec().currency().equals(fee.spec().currency())
                    && plan.spec().monthlyFeeMicros() > fee.spec().monthlyFeeMicros()) {
                fee = plan;
            }
        }
        return fee;
    }

    /**
     * The invoice with what it draws on credit grants ({@link CreditService#draw}): a {@code grant} line each, counted
     * in its credit and off its total, which the draws never take below zero.
     */
    public static Computed withGrants(Computed c, List<CreditService.Draw> draws) {
        if (draws.isEmpty()) {
            return c;
        }
        List<LineRow> lines = new ArrayList<>(c.lines());
        long drawn = 0;
        for (CreditService.Draw draw : draws) {
            lines.add(new LineRow(lines.size() + 1, "grant", null, null, 0, -draw.amountNanos(),
                    "Credit grant: " + draw.reason()));
            drawn = Math.addExact(drawn, draw.amountNanos());
        }
        long total = Math.subtractExact(c.totalNanos(), drawn);
        return new Computed(c.currency(), c.planId(), List.copyOf(lines), c.usageNanos(), c.feeNanos(),
                Math.subtractExact(c.creditNanos(), drawn), c.adjustmentNanos(), total,
                Money.toMinorUnits(total, c.currency()), c.taxNanos(), c.tax());
    }

    /**
     * The invoice with its tax ({@code null}: none applies): a rate adds a {@code tax} line on what is due after the
     * included credit and the grants (never on less than zero), rounded to minor units, and it counts in the total;
     * an exemption or a reverse charge adds no line, only the note the invoice carries.
     */
    public static Computed withTax(Computed c, AppliedTax tax) {
        if (tax == null) {
            return c;
        }
        long amount = tax.on(Math.max(0, c.totalNanos()), Money.fractionDigits(c.currency()));
        List<LineRow> lines = new ArrayList<>(c.lines());
        if (tax.charged()) {
            lines.add(new LineRow(lines.size() + 1, "tax", null, null, 0, amount, tax.label()));
        }
        long total = Math.addExact(c.totalNanos(), amount);
        return new Computed(c.currency(), c.planId(), List.copyOf(lines), c.usageNanos(), c.feeNanos(),
                c.creditNanos(), c.adjustmentNanos(), total, Money.toMinorUnits(total, c.currency()), amount, tax);
    }

    private static Computed one(String currency, List<ModelUsage> usage, Function<String, PeriodTotals> totals,
            ActivePlan feePlan, ActivePlan endPlan) {
        List<LineRow> lines = new ArrayList<>();
        long fee = 0;
        if (feePlan != null) {
            fee = Math.multiplyExact(feePlan.spec().monthlyFeeMicros(), 1000L);
            lines.add(new LineRow(lines.size() + 1, "fee", null, null, 1, fee,
                    "Monthly fee, plan " + feePlan.planName()));
        }
        long usageNanos = 0;
        for (ModelUsage u : usage) {
            if (u.billable() == 0 && u.costNanos() == 0 && u.requestNanos() == 0 && u.itemNanos() == 0
                    && u.computeNanos() == 0) {
                continue;
            }
            PeriodTotals quantity = billed(u, totals);
            usageNanos = Math.addExact(usageNanos, usageLine(lines, u, Component.REQUESTS, quantity.requests(),
                    u.requestNanos()));
            usageNanos = Math.addExact(usageNanos, usageLine(lines, u, Component.ITEMS, quantity.items(),
                    u.itemNanos()));
            usageNanos = Math.addExact(usageNanos, usageLine(lines, u, Component.COMPUTE, quantity.computeUs(),
                    u.computeNanos()));
        }
        long adjustment = 0;
        if (endPlan != null) {
            for (ModelUsage u : usage) {
                adjustment = Math.addExact(adjustment, adjustments(lines, u, totals, endPlan));
            }
        }
        long credit = 0;
        if (feePlan != null) {
            long included = Math.multiplyExact(feePlan.spec().includedCreditMicros(), 1000L);
            credit = -Math.min(included, Math.max(0, Math.addExact(usageNanos, adjustment)));
            if (credit != 0) {
                lines.add(new LineRow(lines.size() + 1, "credit", null, null, 0, credit,
                        "Included credit, plan " + feePlan.planName()));
            }
        }
        long total = Math.addExact(Math.addExact(fee, usageNanos), Math.addExact(adjustment, credit));
        return new Computed(currency, feePlan != null ? feePlan.planId() : endPlan != null ? endPlan.planId() : null,
                List.copyOf(lines), usageNanos, fee, credit, adjustment, total, Money.toMinorUnits(total, currency), 0,
                null);
    }

    private static long usageLine(List<LineRow> lines, ModelUsage u, Component component, long quantity,
            long amount) {
        if (quantity == 0 && amount == 0) {
            return 0;
        }
        lines.add(new LineRow(lines.size() + 1, "usage", u.modelName(), component.column, quantity, amount,
                label(u.modelName()) + ", " + unit(component)));
        return amount;
    }

    /**
     * Volume tiers price every unit of the period at the tier its total reaches, which only the period's end
     * knows: the rows were priced at the tier reached so far, and this line makes up the difference.
     */
    private static long adjustments(List<LineRow> lines, ModelUsage u, Function<String, PeriodTotals> totals,
            ActivePlan endPlan) {
        ModelPrice price = endPlan.spec().priceOf(u.modelName()).orElse(null);
        if (price == null || u.modelName().isEmpty()) {
            return 0;
        }
        PeriodTotals total = billed(u, totals);
        long sum = 0;
        sum += adjustment(lines, u, Component.REQUESTS, price.per1kRequests(), total.requests(), u.requestNanos());
        sum += adjustment(lines, u, Component.ITEMS, price.per1kItems(), total.items(), u.itemNanos());
        sum += adjustment(lines, u, Component.COMPUTE, price.perComputeSecond(), total.computeUs(), u.computeNanos());
        return sum;
    }

    private static long adjustment(List<LineRow> lines, ModelUsage u, Component component, PriceComponent price,
            long quantity, long charged) {
        if (price == null || !price.volume()) {
            return 0;
        }
        long difference = Math.subtractExact(Pricing.volumeNanos(price, quantity, component == Component.COMPUTE),
                charged);
        if (difference != 0) {
            lines.add(new LineRow(lines.size() + 1, "adjustment", u.modelName(), component.column, quantity,
                    difference, label(u.modelName()) + ", " + unit(component) + ": volume tier for the period"));
        }
        return difference;
    }

    /**
     * What the model's billable calls consumed: period_usage, which the usage writer keeps for billable calls only
     * (the roll-ups also count the compute time of failed calls); the roll-ups where it has no row.
     */
    private static PeriodTotals billed(ModelUsage u, Function<String, PeriodTotals> totals) {
        PeriodTotals total = u.modelName().isEmpty() ? null : totals.apply(u.modelName());
        return total != null ? total : new PeriodTotals(u.billable(), u.items(), u.computeUs());
    }

    /** Roll-ups of one currency with the same model name (none in practice, but a model must be one line). */
    private static List<ModelUsage> merge(List<ModelUsage> usage) {
        Map<String, ModelUsage> byModel = new LinkedHashMap<>();
        for (ModelUsage u : usage) {
            byModel.merge(u.modelName(), u, (a, b) -> new ModelUsage(a.currency(), a.modelName(),
                    a.billable() + b.billable(), a.items() + b.items(), a.computeUs() + b.computeUs(),
                    a.requestNanos() + b.requestNanos(), a.itemNanos() + b.itemNanos(),
                    a.computeNanos() + b.computeNanos(), a.costNanos() + b.costNanos()));
        }
        return List.copyOf(byModel.values());
    }

    private static String label(String model) {
        return model == null || model.isEmpty() ? "(no model)" : model;
    }

    private static String unit(Component component) {
        return switch (component) {
            case REQUESTS -> "requests";
            case ITEMS -> "items";
            case COMPUTE -> "compute microseconds";
        };
    }
}
