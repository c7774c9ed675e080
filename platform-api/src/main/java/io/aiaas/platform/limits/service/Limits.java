package io.aiaas.platform.limits.service;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.limits.LimitsConfig;
import io.aiaas.platform.limits.service.Admission.Hold;
import io.aiaas.platform.limits.service.Admission.Kind;
import io.aiaas.platform.limits.service.Admission.RateView;
import io.aiaas.platform.limits.service.LeaseStore.Grant;
import io.aiaas.platform.limits.service.LeaseStore.PeriodColumn;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.plan.service.PlanSpec.Quota;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Admits or refuses a call against its tenant's plan: requests per minute per key and per tenant, concurrent requests
 * per tenant, hard monthly quotas and the hard monthly budget. The truth of each limit is in PostgreSQL, shared by
 * every replica; this replica takes capacity in leases ({@link LeaseStore}) and serves calls from them, so that a
 * call needs a round trip only when its replica's lease runs dry. Quotas and budgets are reserve-then-settle: a call
 * reserves an estimate of what it will consume, and the usage writer settles what it did consume.
 */
@ApplicationScoped
public class Limits {

    private static final Logger LOG = Logger.getLogger(Limits.class);
    /** What a refusal by the plan's quota or budget adds: the way on before the period ends. */
    private static final String UPGRADE = "; where a bigger plan is offered (GET /api/v1/tenants/{slug}/plan/choices),"
            + " a tenant admin can move to it at once (PUT /api/v1/tenants/{slug}/plan with \"effective\": \"now\")";

    /** The prefix of {@link #keyScope}. */
    public static final String KEY_SCOPE = "key:";
    /** The kind part of each quota counter's name ({@code q:requests}, {@code q:items}, ...). */
    private static final Map<PeriodColumn, String> QUOTA_KINDS = new java.util.EnumMap<>(PeriodColumn.class);

    static {
        for (PeriodColumn column : PeriodColumn.values()) {
            QUOTA_KINDS.put(column, "q:" + column.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final LeaseStore store;
    private final LimitsConfig config;
    /** This replica's id in limit_leases; a new one after the leases lapsed (see {@link #leasesValid}). */
    private volatile UUID holder = UUID.randomUUID();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final CallEstimates estimates = new CallEstimates();
    private ScheduledExecutorService maintainer;
    private java.util.concurrent.ThreadPoolExecutor prefetcher;
    private volatile long renewedAtNanos = System.nanoTime();
    private long lastRenewNanos;
    private long lastSweepNanos;
    private final AdmissionCaches caches = new AdmissionCaches();

    Limits(LeaseStore store, LimitsConfig config) {
        this.store = store;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        maintainer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "aiaas-limits");
            thread.setDaemon(true);
            return thread;
        });
        prefetcher = new java.util.concurrent.ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(64), r -> {
                    Thread thread = new Thread(r, "aiaas-limits-refill");
                    thread.setDaemon(true);
                    return thread;
                }, new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
        long every = config.maintainInterval().toMillis();
        maintainer.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (maintainer != null) {
            maintainer.shutdownNow();
        }
        if (prefetcher != null) {
            prefetcher.shutdownNow();
        }
        // Give everything back so the other replicas can use it at once instead of after the lease TTL.
        for (Lease lease : leases.values()) {
            long free = lease.takeIdle(0, System.nanoTime()) + lease.takePending();
            try {
                store.giveBack(lease.counter, holder, free);
            } catch (RuntimeException e) {
                return;
            }
        }
    }

    /** This replica's id in limit_leases: the usage writer settles this holder's leases. */
    public UUID holder() {
        return holder;
    }

    /**
     * Admits a call or refuses it with 429 ({@code rate_limited}, {@code concurrency_limited}, {@code quota_exceeded},
     * {@code budget_exceeded}, {@code tenant_budget_exceeded}, {@code key_budget_exceeded}) and a Retry-After. The
     * caller must {@link Admission#finish} what it gets.
     *
     * @param keyBudgetMicros the key's monthly cap in micro-units of the plan's currency, or null (none)
     * @param keyRequestsPerMinute the key's own limit per clock minute, or null (none); the tighter of it and the
     *     plan's per-key limit applies to the key's window, with or without a plan
     * @param tenantBudgetMicros the tenant's own monthly cap in micro-units of the plan's currency, or null (none);
     *     the tighter of it and the plan's hard budget applies to the tenant's spend
     * @param plan the tenant's plan now, or null (no limits but the key's own rate limit)
     * @param model the name of the model called (quotas and prices per model)
     * @param period the billing period of {@code now} in the plan's time zone (the gateway's, for the usage row)
     */
    public Admission admit(UUID tenantId, UUID keyId, Long keyBudgetMicros, Integer keyRequestsPerMinute,
            Long tenantBudgetMicros, ActivePlan plan, String model, Instant now, LocalDate period) {
        if (plan == null && keyRequestsPerMinute == null) {
            return Admission.none();
        }
        List<Hold> holds = new ArrayList<>(6);
        RateView rate = null;
        try {
            PlanSpec.RateLimits rates = plan == null ? null : plan.spec().rateLimits();
            if (rates != null && rates.maxConcurrentRequests() != null) {
                Lease lease = lease(caches.name(new NameKey("c", tenantId, 0, null, null)),
                        rates.maxConcurrentRequests());
                if (!take(lease, 1, () -> grantWindow(lease, 1), false)) {
                    throw ApiException.tooManyRequests("concurrency_limited", "tenant has "
                            + rates.maxConcurrentRequests() + " requests in flight, the most its plan allows", 1);
                }
                holds.add(new Hold(lease, Kind.CONCURRENCY, 1, null));
            }
            long minute = Math.floorDiv(now.getEpochSecond(), 60);
            long reset = (minute + 1) * 60 - now.getEpochSecond();
            Integer perKey = perKey(rates, keyRequestsPerMinute);
            if (perKey != null) {
                rate = rateLimit(holds, caches.name(new NameKey("r:k", keyId, minute, null, null)), perKey, reset,
                        "API key", perKey.equals(keyRequestsPerMinute) ? "the key's own limit" : "the plan's limit",
                        rate);
            }
            if (rates != null && rates.requestsPerMinutePerTenant() != null) {
                rate = rateLimit(holds, caches.name(new NameKey("r:t", tenantId, minute, null, null)),
                        rates.requestsPerMinutePerTenant(), reset, "tenant", "the plan's limit", rate);
            }
            if (plan != null) {
                reservePeriod(holds, tenantId, keyId, keyBudgetMicros, tenantBudgetMicros, plan, model, now, period);
            }
        } catch (RuntimeException e) {
            Admission.undo(holds);
            throw e;
        }
        return new Admission(List.copyOf(holds), rate, holder);
    }

    /**
     * The per-minute limit closest to exhaustion as this replica knows it, without taking anything: for the headers
     * of calls that were not admitted (a refusal still tells the client where it stands). Null when the plan sets no
     * per-minute limit.
     */
    public RateView rateView(UUID tenantId, UUID keyId, Integer keyRequestsPerMinute, ActivePlan plan, Instant now) {
        PlanSpec.RateLimits rates = plan == null ? null : plan.spec().rateLimits();
        Integer perKey = perKey(rates, keyRequestsPerMinute);
        if (perKey == null && (rates == null || rates.requestsPerMinutePerTenant() == null)) {
            return null;
        }
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        long reset = (minute + 1) * 60 - now.getEpochSecond();
        RateView tightest = null;
        if (perKey != null) {
            tightest = view(leases.get("r:k:" + keyId + ":" + minute), perKey, reset, null);
        }
        if (rates != null && rates.requestsPerMinutePerTenant() != null) {
            tightest = view(leases.get("r:t:" + tenantId + ":" + minute), rates.requestsPerMinutePerTenant(), reset,
                    tightest);
        }
        return tightest;
    }

    /** The key's per-minute limit: the tighter of the plan's per-key limit and the key's own; null when neither. */
    private static Integer perKey(PlanSpec.RateLimits rates, Integer keyRequestsPerMinute) {
        Integer plan = rates == null ? null : rates.requestsPerMinutePerKey();
        return plan == null ? keyRequestsPerMinute
                : keyRequestsPerMinute == null || plan <= keyRequestsPerMinute ? plan : keyRequestsPerMinute;
    }

    private static RateView view(Lease lease, long limit, long reset, RateView tightest) {
        long remaining = lease == null ? limit : Math.min(limit, Math.max(0, limit - lease.total()) + lease.free());
        return tightest == null || remaining < tightest.remaining() ? new RateView(limit, remaining, reset) : tightest;
    }

    /**
     * After a call: what it consumed becomes the estimate of its model's next reservations (the compute part with a
     * margin, since compute time varies from call to call).
     */
    public void observe(UUID tenantId, String model, long items, long computeUs, long costNanos) {
        estimates.observe(tenantId, model, items, computeUs, costNanos);
    }

    private RateView rateLimit(List<Hold> holds, String counter, long limit, long resetSeconds, String what,
            String whose, RateView tightest) {
        Lease lease = lease(counter, limit);
        long ttl = (resetSeconds + 60) * 1000;
        if (!take(lease, 1, () -> grantWindow(lease, 1, ttl), true)) {
            throw ApiException.tooManyRequests("rate_limited", "the " + what + " has made its " + limit
                    + " requests this minute (" + whose + "); retry in " + resetSeconds + " s", resetSeconds);
        }
        holds.add(new Hold(lease, Kind.RATE, 1, null));
        long remaining = Math.max(0, limit - lease.total()) + lease.free();
        remaining = Math.min(limit, remaining);
        if (tightest == null || remaining < tightest.remaining()) {
            return new RateView(limit, remaining, resetSeconds);
        }
        return tightest;
    }

    private void reservePeriod(List<Hold> holds, UUID tenantId, UUID keyId, Long keyBudgetMicros,
            Long tenantBudgetMicros, ActivePlan plan, String model, Instant now, LocalDate period) {
        PlanSpec spec = plan.spec();
        Instant end = caches.periodEnd(period, plan.zone());
        // whole seconds until the period's end, plus one (Duration.between(now, end).toSeconds() + 1, unallocated)
        long untilPeriodEnd = end.getEpochSecond() - now.getEpochSecond()
                - (now.getNano() > end.getNano() ? 1 : 0) + 1;
        CallEstimates.Estimate estimate = estimates.of(tenantId, model);
        for (Quota quota : spec.quotasOrEmpty()) {
            if (!quota.hard() || (quota.model() != null && !quota.model().equals(model))) {
                continue;
            }
            PeriodColumn column = switch (quota.metric()) {
                case "requests" -> PeriodColumn.REQUESTS;
                case "items" -> PeriodColumn.ITEMS;
                default -> PeriodColumn.COMPUTE_US;
            };
            long limit = column == PeriodColumn.COMPUTE_US ? Math.multiplyExact(quota.limit(), 1_000_000L)
                    : quota.limit();
            long need = switch (column) {
                case REQUESTS -> 1;
                case ITEMS -> Math.max(1, estimate.items());
                default -> Math.max(1, estimate.computeUs() * 2);
            };
            String counter = caches.name(new NameKey(QUOTA_KINDS.get(column), tenantId, 0, period, quota.scope()));
            reserve(holds, counter, tenantId, period, quota.scope(), column, limit, need, "quota_exceeded",
                    () -> "the plan's hard " + quota.metric() + " quota" + (quota.model() == null ? "" : " for "
                            + quota.model()) + " of " + quota.limit() + " is used up for this period" + UPGRADE,
                    untilPeriodEnd);
        }
        PlanSpec.Budget budget = spec.budget();
        boolean hardBudget = budget != null && budget.hard();
        if (!hardBudget && keyBudgetMicros == null && tenantBudgetMicros == null) {
            return;
        }
        long need = Math.max(1, Math.max(estimate.costNanos(),
                CallEstimates.costCeiling(spec.priceOf(model).orElse(null), estimate)));
        if (hardBudget || tenantBudgetMicros != null) {
            // the tenant's own cap and the plan's hard budget count the same spend: one counter, the tighter limit
            boolean own = tenantBudgetMicros != null && (!hardBudget || tenantBudgetMicros < budget.limitMicros());
            long limitMicros = own ? tenantBudgetMicros : budget.limitMicros();
            reserve(holds, caches.name(new NameKey("q:cost", tenantId, 0, period, "*")), tenantId, period, "*",
                    PeriodColumn.COST_NANOS, Math.multiplyExact(limitMicros, 1000L), need,
                    own ? "tenant_budget_exceeded" : "budget_exceeded", () -> own
                            ? "the tenant's own monthly budget of " + limitMicros + " micro-units is spent for this"
                                    + " period; a tenant admin can raise it (PUT /api/v1/tenants/{slug}/budget)"
                            : "the plan's hard budget of " + limitMicros + " micro-units is spent for this period"
                                    + UPGRADE,
                    untilPeriodEnd);
        }
        if (keyBudgetMicros != null) {
            String scope = keyScope(keyId);
            reserve(holds, caches.name(new NameKey("q:cost", tenantId, 0, period, scope)), tenantId, period, scope,
                    PeriodColumn.COST_NANOS, Math.multiplyExact(keyBudgetMicros, 1000L), need, "key_budget_exceeded",
                    () -> "the API key's monthly budget of " + keyBudgetMicros + " micro-units is spent for this"
                            + " period; a tenant admin can raise it (PUT /api/v1/tenants/{slug}/keys/{id}/budget)",
                    untilPeriodEnd);
        }
    }

    /**
     * The {@code period_usage} scope that counts an API key's spend, for keys with a monthly cap: the usage writer
     * advances it and its leases are granted against it. Model names (the other scopes besides {@code *}) cannot hold
     * {@code :}.
     */
    public static String keyScope(UUID keyId) {
        return KEY_SCOPE + keyId;
    }

    private void reserve(List<Hold> holds, String counter, UUID tenantId, LocalDate period, String scope,
            PeriodColumn column, long limit, long need, String code, java.util.function.Supplier<String> detail,
            long retryAfter) {
        Lease lease = lease(counter, limit);
        boolean taken = take(lease, need, () -> {
            long want = Math.max(need, lease.demand(config.demandHorizon().toNanos()));
            long settled = lease.takePending();
            Grant grant;
            try {
                grant = store.grantPeriod(counter, holder, tenantId, period, scope, column, limit, need, want,
                        config.shareDivisor(), config.leaseTtl(), settled);
            } catch (RuntimeException e) {
                lease.restorePending(settled);
                throw e;
            }
            lease.granted(grant.granted(), grant.total());
            return grant.granted() > 0;
        }, true);
        if (!taken) {
            throw ApiException.tooManyRequests(code, detail.get(), retryAfter);
        }
        holds.add(new Hold(lease, Kind.PERIOD, need, column, lease.settlesLater()));
    }

    private boolean grantWindow(Lease lease, long need, long ttlMillis) {
        long want = Math.max(need, lease.demand(config.demandHorizon().toNanos()));
        if (lease.counter.startsWith("c:")) {
            // a slot for this call and one for each call waiting behind it on this replica
            want = need + lease.refill.getQueueLength();
        }
        Grant grant = store.grantWindow(lease.counter, holder, lease.limit, need, want, config.shareDivisor(),
                Duration.ofMillis(ttlMillis));
        lease.granted(grant.granted(), grant.total());
        return grant.granted() > 0;
    }

    private boolean grantWindow(Lease lease, long need) {
        return grantWindow(lease, need, config.leaseTtl().toMillis());
    }

    /**
     * Takes from the lease, refilling it from PostgreSQL (one refill at a time per counter) when it runs dry. A lease
     * that runs low is refilled ahead on another thread, so that under steady demand no call waits for a grant.
     */
    private boolean take(Lease lease, long units, BooleanSupplier refill, boolean ahead) {
        lease.refiller = refill;
        if (leasesValid() && lease.tryTake(units)) {
            if (ahead && lease.runningLow()) {
                refillAhead(lease);
            }
            return true;
        }
        lease.refill.lock();
        try {
            for (int attempt = 0; attempt < 8; attempt++) {
                if (lease.tryTake(units)) {
                    return true;
                }
                if (!refill.getAsBoolean()) {
                    return false;
                }
            }
            return false;
        } finally {
            lease.refill.unlock();
        }
    }

    private void refillAhead(Lease lease) {
        if (lease.refill.isLocked() || prefetcher == null) {
            return;
        }
        try {
            prefetcher.execute(() -> {
                if (!lease.refill.tryLock()) {
                    return;
                }
                try {
                    BooleanSupplier refill = lease.refiller;
                    if (lease.runningLow() && refill != null) {
                        refill.getAsBoolean();
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("refilling lease %s ahead failed: %s", lease.counter, e.getMessage());
                } finally {
                    lease.refill.unlock();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // busy or stopping: the next call that finds the lease dry refills it
        }
    }

    private Lease lease(String counter, long limit) {
        Lease lease = leases.computeIfAbsent(counter, c -> new Lease(c, limit));
        lease.limit = limit;
        return lease;
    }

    /**
     * Leases count only while this replica renews them: past the TTL the others may have taken them over. When the
     * renewals have failed that long (the database was out of reach), this replica forgets its leases and takes a new
     * holder id, so the old rows simply expire and nothing is counted twice.
     */
    private boolean leasesValid() {
        if (System.nanoTime() - renewedAtNanos < config.leaseTtl().toNanos() * 2 / 3) {
            return true;
        }
        synchronized (this) {
            if (System.nanoTime() - renewedAtNanos >= config.leaseTtl().toNanos() * 2 / 3) {
                LOG.warn("limit leases were not renewed in time; starting over with new leases");
                holder = UUID.randomUUID();
                leases.clear();
                renewedAtNanos = System.nanoTime();
            }
        }
        return false;
    }

    /**
     * Takes what calls consumed far from their limits ({@link Lease#settlesLater}) off this replica's leases' rows.
     * Each row in a statement of its own, so that this never holds two lease rows' locks at once and cannot deadlock
     * with a usage writer settling leases near their limits; what fails stays pending for the next round.
     */
    private void settlePending() {
        RuntimeException failed = null;
        for (Lease lease : leases.values()) {
            long pending = lease.takePending();
            if (pending == 0) {
                continue;
            }
            try {
                store.giveBack(lease.counter, holder, pending);
            } catch (RuntimeException e) {
                lease.restorePending(pending);
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** A rate-limit minute that has passed: its lease is only history. */
    private static boolean windowOver(String counter) {
        if (!counter.startsWith("r:")) {
            return false;
        }
        long minute = Long.parseLong(counter.substring(counter.lastIndexOf(':') + 1));
        return minute < Math.floorDiv(Instant.now().getEpochSecond(), 60);
    }

    private void maintain() {
        long now = System.nanoTime();
        long minute = Math.floorDiv(Instant.now().getEpochSecond(), 60);
        caches.newMinute(minute); // before anything that may fail: the names must not pile up during an outage
        try {
            settlePending();
        } catch (RuntimeException e) { // its own round: a failed settlement must not keep the leases from renewal
            LOG.debugf("settling limit leases failed (retrying): %s", e.getMessage());
        }
        try {
            if (now - lastRenewNanos >= config.leaseTtl().toNanos() / 5) {
                store.renew(holder, config.leaseTtl());
                renewedAtNanos = now;
                lastRenewNanos = now;
            }
            long idle = config.idleReturn().toNanos();
            for (Lease lease : leases.values()) {
                long free = lease.takeIdle(idle, now);
                if (free > 0) {
                    try {
                        store.giveBack(lease.counter, holder, free);
                    } catch (RuntimeException e) {
                        lease.restore(free);
                        throw e;
                    }
                }
                if (lease.idleAndEmpty(Math.max(idle, Duration.ofMinutes(2).toNanos()), now)
                        || windowOver(lease.counter)) {
                    leases.remove(lease.counter, lease);
                }
            }
            if (now - lastSweepNanos >= Duration.ofMinutes(1).toNanos()) {
                lastSweepNanos = now;
                store.sweep();
            }
        } catch (RuntimeException e) {
            LOG.debugf("limit lease maintenance failed (retrying): %s", e.getMessage());
        }
    }
}
