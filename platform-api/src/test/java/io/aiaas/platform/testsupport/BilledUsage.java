package io.aiaas.platform.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes priced usage the way the usage writer does, in one transaction: the row in usage_records, its hour in
 * usage_rollups (hour = date_trunc('hour', started_at) in UTC, model '' and the nil key for none), and, for a
 * billable call, its consumption in period_usage (scope '*' and the model). Tests build calls with {@link #call}:
 * {@code usage.call(tenantId).model("iris").at(t).items(3).cost("USD", 1000, 2000, 0).insert()}.
 */
@ApplicationScoped
public class BilledUsage {

    public static final UUID NO_KEY = new UUID(0, 0);

    private final TestDb db;

    BilledUsage(TestDb db) {
        this.db = db;
    }

    public Call call(UUID tenantId) {
        return new Call(tenantId);
    }

    /** Inserts a plan (spec JSON as plans.spec) and answers its id. */
    public UUID plan(String name, String currency, String specJson) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO plans (id, name, currency, spec) VALUES (?, ?, ?, CAST(? AS jsonb))", id, name, currency,
                specJson);
        return id;
    }

    /** Puts the tenant on the plan from {@code from}. */
    public void assign(UUID tenantId, UUID planId, Instant from) {
        db.update("INSERT INTO tenant_plans (id, tenant_id, plan_id, effective_from) VALUES (?, ?, ?, ?)",
                UUID.randomUUID(), tenantId, planId, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
    }

    /** One call to write; defaults: a billable 200 infer call of model "m" with one item, no key, free. */
    public final class Call {
        private final UUID tenantId;
        private UUID requestId = UUID.randomUUID();
        private UUID keyId;
        private String model = "m";
        private int status = 200;
        private int items = 1;
        private long computeUs = 1000;
        private Instant at = Instant.now().minusSeconds(60);
        private LocalDate period;
        private UUID planId;
        private String currency;
        private long costRequest;
        private long costItem;
        private long costCompute;

        Call(UUID tenantId) {
            this.tenantId = tenantId;
        }

        public Call requestId(UUID id) {
            this.requestId = id;
            return this;
        }

        public Call key(UUID id) {
            this.keyId = id;
            return this;
        }

        public Call model(String name) {
            this.model = name;
            return this;
        }

        public Call status(int code) {
            this.status = code;
            return this;
        }

        public Call items(int count) {
            this.items = count;
            return this;
        }

        public Call computeUs(long us) {
            this.computeUs = us;
            return this;
        }

        public Call at(Instant when) {
            this.at = when.truncatedTo(ChronoUnit.MICROS);
            return this;
        }

        /** The billing period (first day); default the UTC month of the call. */
        public Call period(LocalDate first) {
            this.period = first;
            return this;
        }

        public Call plan(UUID id) {
            this.planId = id;
            return this;
        }

        /** Priced in {@code currency} with these component costs in nano-units (only a billable call costs). */
        public Call cost(String currency, long requestNanos, long itemNanos, long computeNanos) {
            this.currency = currency;
            this.costRequest = requestNanos;
            this.costItem = itemNanos;
            this.costCompute = computeNanos;
            return this;
        }

        /** Writes the row, its roll-up and its period counters; answers the request id. */
        public UUID insert() {
            boolean billable = status >= 200 && status < 300;
            // only a billable call under a plan (a currency) costs anything
            boolean priced = billable && currency != null;
            long request = priced ? costRequest : 0;
            long item = priced ? costItem : 0;
            long compute = priced ? costCompute : 0;
            long cost = request + item + compute;
            int itemCount = billable ? items : 0;
            LocalDate billingPeriod = period != null ? period
                    : LocalDate.ofInstant(at, ZoneOffset.UTC).withDayOfMonth(1);
            OffsetDateTime started = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
            OffsetDateTime hour = OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.HOURS), ZoneOffset.UTC);
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    exec(c, "SELECT CAST(aiaas_ensure_usage_partitions(?, 1) AS text)", started);
                    exec(c, """
                            INSERT INTO usage_records (request_id, tenant_id, api_key_id, model_name, model_version,
                                endpoint, status_code, billable, item_count, compute_us, bytes_in, bytes_out, device,
                                error_code, started_at, finished_at, plan_id, billing_period, currency, price_request,
                                price_item, price_compute, cost_request_nanos, cost_item_nanos, cost_compute_nanos,
                                cost_nanos)
                            VALUES (?, ?, ?, ?, 1, 'infer', ?, ?, ?, ?, 100, 40, 'cpu', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                                ?, ?, ?)""", requestId, tenantId, keyId, model, (short) status, billable, itemCount,
                            computeUs, status == 429 ? "rate_limited" : status >= 400 ? "failed" : null, started,
                            started.plusNanos(5_000_000), planId, billingPeriod, currency,
                            currency == null ? null : 1000L, currency == null ? null : 2000L,
                            currency == null ? null : 3000L, request, item, compute, cost);
                    exec(c, """
                            INSERT INTO usage_rollups AS r (tenant_id, billing_period, hour, model_name, api_key_id,
                                currency, requests, billable, errors, refused, items, compute_us, bytes_in, bytes_out,
                                cost_request_nanos, cost_item_nanos, cost_compute_nanos, cost_nanos)
                            VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 100, 40, ?, ?, ?, ?)
                            ON CONFLICT (tenant_id, hour, model_name, api_key_id, billing_period) DO UPDATE SET
                                currency = coalesce(r.currency, excluded.currency),
                                requests = r.requests + 1, billable = r.billable + excluded.billable,
                                errors = r.errors + excluded.errors, refused = r.refused + excluded.refused,
                                items = r.items + excluded.items, compute_us = r.compute_us + excluded.compute_us,
                                bytes_in = r.bytes_in + 100, bytes_out = r.bytes_out + 40,
                                cost_request_nanos = r.cost_request_nanos + excluded.cost_request_nanos,
                                cost_item_nanos = r.cost_item_nanos + excluded.cost_item_nanos,
                                cost_compute_nanos = r.cost_compute_nanos + excluded.cost_compute_nanos,
                                cost_nanos = r.cost_nanos + excluded.cost_nanos""",
                            tenantId, billingPeriod, hour, model == null ? "" : model, keyId == null ? NO_KEY : keyId,
                            currency, billable ? 1L : 0L, status >= 400 ? 1L : 0L, status == 429 ? 1L : 0L,
                            (long) itemCount, computeUs, request, item, compute, cost);
                    if (billable) {
                        for (String scope : model == null ? new String[] {"*"} : new String[] {"*", model}) {
                            exec(c, """
                                    INSERT INTO period_usage AS p (tenant_id, billing_period, scope, requests, items,
                                        compute_us, cost_nanos)
                                    VALUES (?, ?, ?, 1, ?, ?, ?)
                                    ON CONFLICT (tenant_id, billing_period, scope) DO UPDATE SET
                                        requests = p.requests + 1, items = p.items + excluded.items,
                                        compute_us = p.compute_us + excluded.compute_us,
                                        cost_nanos = p.cost_nanos + excluded.cost_nanos""",
                                    tenantId, billingPeriod, scope, (long) itemCount, computeUs, cost);
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return requestId;
        }
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }
}
