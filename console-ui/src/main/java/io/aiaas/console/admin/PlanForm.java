package io.aiaas.console.admin;

import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.PlanSpec;
import io.aiaas.console.api.admin.PlanSpec.Budget;
import io.aiaas.console.api.admin.PlanSpec.ModelPrice;
import io.aiaas.console.api.admin.PlanSpec.PriceComponent;
import io.aiaas.console.api.admin.PlanSpec.Quota;
import io.aiaas.console.api.admin.PlanSpec.RateLimits;
import io.aiaas.console.api.admin.PlanSpec.Tier;
import io.aiaas.console.web.MoneyInput;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The plan form as typed: every input as text, so that a refused form comes back exactly as it was sent. It has a
 * fixed number of rows (quotas, model prices, tiers) with blank ones left for additions; blank rows are ignored.
 * Money is typed as decimals of the plan's currency ("0.002") and becomes micro-units exactly ({@link #micros}); more
 * than six decimals is refused here, before platform-api is called. Input names are what {@link #parse} reads, e.g.
 * {@code price1.req.tier0.up_to}.
 */
public final class PlanForm {

    static final int MIN_ROWS = 3;

    /** The price components of a model, as input-name key, JSON role and label. */
    enum Component {
        REQUESTS("req", "per 1,000 requests", "requests"),
        ITEMS("items", "per 1,000 items", "items"),
        COMPUTE("compute", "per compute-second", "compute seconds");

        final String key;
        final String label;
        final String unit;

        Component(String key, String label, String unit) {
            this.key = key;
            this.label = label;
            this.unit = unit;
        }

        PriceComponent of(ModelPrice price) {
            return price == null ? null : switch (this) {
                case REQUESTS -> price.per1kRequests();
                case ITEMS -> price.per1kItems();
                case COMPUTE -> price.perComputeSecond();
            };
        }
    }

    public String name = "";
    public String currency = "USD";
    public String monthlyFee = "0";
    public String includedCredit = "0";
    public String rpmKey = "";
    public String rpmTenant = "";
    public String concurrency = "";
    public String budgetLimit = "";
    public String budgetEnforcement = "soft";
    public final List<QuotaRow> quotas = new ArrayList<>();
    /** The default price first ({@code price0}, no model), then one row per model. */
    public final List<PriceRow> prices = new ArrayList<>();

    /** One quota row: metric requests, items or compute_seconds; model blank for the whole tenant. */
    public record QuotaRow(String prefix, String metric, String model, String limit, String enforcement) {
        public String id() {
            return PlanForm.id(prefix);
        }

        /** The input name of one of the row's fields, e.g. {@code price1.req.tier0.up_to}. */
        public String name(String field) {
            return prefix + "." + field;
        }

        /** The element id of one of the row's inputs, e.g. {@code plan-price1-req-tier0-up_to}. */
        public String id(String field) {
            return id() + "-" + field;
        }
    }

    /** One price row: the default (index 0) or a model's, with its three components. */
    public record PriceRow(String prefix, int index, String model, List<ComponentRow> components) {
        public boolean isDefault() {
            return index == 0;
        }

        public String id() {
            return PlanForm.id(prefix);
        }

        /** The input name of one of the row's fields, e.g. {@code price1.req.tier0.up_to}. */
        public String name(String field) {
            return prefix + "." + field;
        }

        /** The element id of one of the row's inputs, e.g. {@code plan-price1-req-tier0-up_to}. */
        public String id(String field) {
            return id() + "-" + field;
        }
    }

    /** One price component: graduated or volume, and its tier rows ("up to N units → price"). */
    public record ComponentRow(String prefix, String label, String unit, String tiering, List<TierRow> tiers) {
        public String id() {
            return PlanForm.id(prefix);
        }

        /** The input name of one of the row's fields, e.g. {@code price1.req.tier0.up_to}. */
        public String name(String field) {
            return prefix + "." + field;
        }

        /** The element id of one of the row's inputs, e.g. {@code plan-price1-req-tier0-up_to}. */
        public String id(String field) {
            return id() + "-" + field;
        }
    }

    /** One tier row; up_to blank on the last tier (it covers the rest). */
    public record TierRow(String prefix, int index, String upTo, String price) {
        public String id() {
            return PlanForm.id(prefix);
        }

        /** The input name of one of the row's fields, e.g. {@code price1.req.tier0.up_to}. */
        public String name(String field) {
            return prefix + "." + field;
        }

        /** The element id of one of the row's inputs, e.g. {@code plan-price1-req-tier0-up_to}. */
        public String id(String field) {
            return id() + "-" + field;
        }
    }

    /** The outcome of reading the form: the spec to send, or the messages per input. */
    public record Result(PlanSpec spec, Map<String, String> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** An empty form for a new plan: USD, no fee, blank rows. */
    public static PlanForm blank() {
        PlanForm form = new PlanForm();
        form.fillRows(List.of(), List.of());
        return form;
    }

    /** The form of an existing plan, each amount as its exact decimal. */
    public static PlanForm of(Plan plan) {
        PlanForm form = new PlanForm();
        form.name = plan.name();
        form.currency = plan.currency();
        form.monthlyFee = decimal(plan.monthlyFeeMicros());
        form.includedCredit = decimal(plan.includedCreditMicros());
        RateLimits limits = plan.rateLimits();
        if (limits != null) {
            form.rpmKey = text(limits.requestsPerMinutePerKey());
            form.rpmTenant = text(limits.requestsPerMinutePerTenant());
            form.concurrency = text(limits.maxConcurrentRequests());
        }
        if (plan.budget() != null) {
            form.budgetLimit = plan.budget().limitMicros() == null ? "" : decimal(plan.budget().limitMicros());
            form.budgetEnforcement = plan.budget().enforcement();
        }
        form.fillRows(plan.quotas(), plan.prices());
        return form;
    }

    private void fillRows(List<Quota> existingQuotas, List<ModelPrice> existingPrices) {
        int rows = Math.max(MIN_ROWS, existingQuotas.size() + 1);
        for (int i = 0; i < rows; i++) {
            Quota q = i < existingQuotas.size() ? existingQuotas.get(i) : null;
            quotas.add(q == null ? new QuotaRow("quota" + i, "requests", "", "", "hard")
                    : new QuotaRow("quota" + i, q.metric(), q.model() == null ? "" : q.model(), text(q.limit()),
                            q.enforcement()));
        }
        ModelPrice defaultPrice = existingPrices.stream().filter(p -> p.model() == null).findFirst().orElse(null);
        List<ModelPrice> own = existingPrices.stream().filter(p -> p.model() != null).toList();
        prices.add(priceRow(0, defaultPrice));
        int modelRows = Math.max(MIN_ROWS, own.size() + 1);
        for (int i = 0; i < modelRows; i++) {
            prices.add(priceRow(i + 1, i < own.size() ? own.get(i) : null));
        }
    }

    private static PriceRow priceRow(int index, ModelPrice price) {
        String prefix = "price" + index;
        List<ComponentRow> components = new ArrayList<>();
        for (Component c : Component.values()) {
            PriceComponent existing = c.of(price);
            List<Tier> tiers = existing == null || existing.tiers() == null ? List.of() : existing.tiers();
            List<TierRow> rows = new ArrayList<>();
            int count = Math.max(MIN_ROWS, tiers.size() + 1);
            for (int t = 0; t < count; t++) {
                Tier tier = t < tiers.size() ? tiers.get(t) : null;
                String tierPrefix = prefix + "." + c.key + ".tier" + t;
                rows.add(tier == null ? new TierRow(tierPrefix, t, "", "")
                        : new TierRow(tierPrefix, t, text(tier.upTo()),
                                tier.unitMicros() == null ? "" : decimal(tier.unitMicros())));
            }
            String tiering = existing == null || existing.tiering() == null ? "graduated" : existing.tiering();
            components.add(new ComponentRow(prefix + "." + c.key, c.label, c.unit, tiering, rows));
        }
        return new PriceRow(prefix, index, price == null || price.model() == null ? "" : price.model(), components);
    }

    /** Reads the submitted form (first value of each input); rows are numbered from 0 until one is missing. */
    public static PlanForm parse(Function<String, String> input) {
        Function<String, String> in = key -> {
            String v = input.apply(key);
            return v == null ? "" : v.trim();
        };
        PlanForm form = new PlanForm();
        form.name = in.apply("name");
        form.currency = in.apply("currency").toUpperCase(java.util.Locale.ROOT);
        form.monthlyFee = in.apply("monthly_fee");
        form.includedCredit = in.apply("included_credit");
        form.rpmKey = in.apply("rpm_key");
        form.rpmTenant = in.apply("rpm_tenant");
        form.concurrency = in.apply("concurrency");
        form.budgetLimit = in.apply("budget_limit");
        form.budgetEnforcement = orDefault(in.apply("budget_enforcement"), "soft");
        for (int i = 0; input.apply("quota" + i + ".metric") != null; i++) {
            String p = "quota" + i;
            form.quotas.add(new QuotaRow(p, in.apply(p + ".metric"), in.apply(p + ".model"), in.apply(p + ".limit"),
                    orDefault(in.apply(p + ".enforcement"), "hard")));
        }
        for (int i = 0; input.apply("price" + i + ".req.tiering") != null; i++) {
            String p = "price" + i;
            List<ComponentRow> components = new ArrayList<>();
            for (Component c : Component.values()) {
                String cp = p + "." + c.key;
                List<TierRow> tiers = new ArrayList<>();
                for (int t = 0; input.apply(cp + ".tier" + t + ".price") != null; t++) {
                    String tp = cp + ".tier" + t;
                    tiers.add(new TierRow(tp, t, in.apply(tp + ".up_to"), in.apply(tp + ".price")));
                }
                components.add(new ComponentRow(cp, c.label, c.unit, orDefault(in.apply(cp + ".tiering"), "graduated"),
                        tiers));
            }
            form.prices.add(new PriceRow(p, i, i == 0 ? "" : in.apply(p + ".model"), components));
        }
        return form;
    }

    /** The spec to send to platform-api, or what is wrong with the form (keyed by input name). */
    public Result toSpec() {
        Map<String, String> errors = new LinkedHashMap<>();
        Long fee = money("monthly_fee", monthlyFee.isEmpty() ? "0" : monthlyFee, errors);
        Long credit = money("included_credit", includedCredit.isEmpty() ? "0" : includedCredit, errors);
        Integer perKey = count("rpm_key", rpmKey, errors);
        Integer perTenant = count("rpm_tenant", rpmTenant, errors);
        Integer concurrent = count("concurrency", concurrency, errors);
        RateLimits limits = perKey == null && perTenant == null && concurrent == null ? null
                : new RateLimits(perKey, perTenant, concurrent);

        List<Quota> quotaList = new ArrayList<>();
        for (QuotaRow row : quotas) {
            if (row.limit().isEmpty() && row.model().isEmpty()) {
                continue;
            }
            Long limit = whole(row.prefix() + ".limit", row.limit(), true, errors);
            quotaList.add(new Quota(row.metric(), row.model().isEmpty() ? null : row.model(), limit, row.enforcement()));
        }

        Budget budget = null;
        if (!budgetLimit.isEmpty()) {
            budget = new Budget(money("budget_limit", budgetLimit, errors), budgetEnforcement);
        }

        List<ModelPrice> priceList = new ArrayList<>();
        for (PriceRow row : prices) {
            List<PriceComponent> parts = new ArrayList<>();
            for (ComponentRow component : row.components()) {
                parts.add(component(component, errors));
            }
            boolean none = parts.stream().allMatch(p -> p == null);
            if (!row.isDefault() && row.model().isEmpty()) {
                if (!none) {
                    errors.put(row.prefix() + ".model", "name the model these prices are for");
                }
                continue;
            }
            if (row.isDefault() && none) {
                continue;
            }
            priceList.add(new ModelPrice(row.isDefault() ? null : row.model(), parts.get(0), parts.get(1),
                    parts.get(2)));
        }
        if (priceList.isEmpty()) {
            // a plan needs one price entry; a default without components means every model is free
            priceList.add(new ModelPrice(null, null, null, null));
        }
        PlanSpec spec = new PlanSpec(name, currency, fee, credit, limits, quotaList, budget, priceList);
        return new Result(errors.isEmpty() ? spec : null, errors);
    }

    private static PriceComponent component(ComponentRow row, Map<String, String> errors) {
        List<Tier> tiers = new ArrayList<>();
        for (TierRow tier : row.tiers()) {
            if (tier.upTo().isEmpty() && tier.price().isEmpty()) {
                continue;
            }
            Long upTo = whole(tier.prefix() + ".up_to", tier.upTo(), false, errors);
            Long price = tier.price().isEmpty() ? null : money(tier.prefix() + ".price", tier.price(), errors);
            if (tier.price().isEmpty()) {
                errors.put(tier.prefix() + ".price", "enter the price of this tier");
            }
            tiers.add(new Tier(upTo, price));
        }
        return tiers.isEmpty() ? null : new PriceComponent(row.tiering(), tiers);
    }

    /**
     * A decimal amount of money as micro-units, exactly: "0.002" is 2,000; more than six decimals, a negative amount
     * or something that is not a number is refused with a message for the input.
     */
    static Long micros(String text, Map<String, String> errors, String field) {
        try {
            return MoneyInput.micros(text, false);
        } catch (MoneyInput.Invalid invalid) {
            errors.put(field, switch (invalid.fault()) {
                case NOT_A_NUMBER -> "enter an amount such as 0.002";
                case TOO_SMALL -> "must not be negative";
                case TOO_PRECISE -> "at most 6 decimals (prices are kept in millionths of the currency)";
                case TOO_LARGE -> "too large";
            });
            return null;
        }
    }

    private static Long money(String field, String text, Map<String, String> errors) {
        return micros(text, errors, field);
    }

    private static Integer count(String field, String text, Map<String, String> errors) {
        Long value = whole(field, text, false, errors);
        if (value != null && value > Integer.MAX_VALUE) {
            errors.put(field, "too large");
            return null;
        }
        return value == null ? null : value.intValue();
    }

    private static Long whole(String field, String text, boolean required, Map<String, String> errors) {
        if (text.isEmpty()) {
            if (required) {
                errors.put(field, "enter a whole number");
            }
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value <= 0) {
                errors.put(field, "must be greater than 0");
                return null;
            }
            return value;
        } catch (NumberFormatException notWhole) {
            errors.put(field, "enter a whole number");
            return null;
        }
    }

    /** Micro-units as the shortest exact decimal: 2,000 is "0.002", 49,000,000 is "49". */
    static String decimal(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private static String text(Number value) {
        return value == null ? "" : value.toString();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** Input names use dots, ids dashes: {@code price1.req.tier0} is {@code price1-req-tier0}. */
    static String id(String prefix) {
        return "plan-" + prefix.replace('.', '-');
    }
}
