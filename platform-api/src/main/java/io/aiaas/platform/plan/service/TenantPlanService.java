package io.aiaas.platform.plan.service;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.plan.persistence.PlanEntity;
import io.aiaas.platform.plan.persistence.PlanRepository;
import io.aiaas.platform.plan.persistence.TenantPlanEntity;
import io.aiaas.platform.plan.persistence.TenantPlanRepository;
import io.aiaas.platform.plan.persistence.TenantPlanRepository.Change;
import io.aiaas.platform.tenant.service.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which plan a tenant is on from when: schedules changes (rows are only ever added, so the history stays; a tenant's
 * own choice may be replaced before it takes effect) and reads the history. The tenant admin API
 * ({@code PATCH /admin/v1/tenants/{slug}}) calls it inside its transaction.
 */
@ApplicationScoped
public class TenantPlanService {

    /** How far in the past a stated effective time may lie (clock skew); such a time is taken as now. */
    public static final Duration PAST_TOLERANCE = Duration.ofSeconds(5);

    private final PlanRepository plans;
    private final TenantPlanRepository assignments;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<PlansChanged> changed;
    private final Jdbc jdbc;
    private final PlanService planSpecs;

    TenantPlanService(PlanRepository plans, TenantPlanRepository assignments, AuditLog audit,
            ChangeNotifications notifications, Event<PlansChanged> changed, Jdbc jdbc, PlanService planSpecs) {
        this.plans = plans;
        this.planSpecs = planSpecs;
        this.assignments = assignments;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
        this.jdbc = jdbc;
    }

    /**
     * Puts the tenant on the plan from {@code effectiveAt} (null: now) on. 400 {@code unknown_plan} for a plan that
     * does not exist, 400 {@code plan_effective_in_past} for a time more than {@link #PAST_TOLERANCE} ago (the past
     * is never rewritten), 409 {@code plan_change_exists} when a change at that very instant is already recorded.
     * The caller announces the change ({@link #announce}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TenantPlanRef changePlan(UUID tenantId, String slug, UUID planId, Instant effectiveAt, Caller caller) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant from = effectiveAt == null ? now : effectiveAt.truncatedTo(ChronoUnit.MICROS);
        if (from.isBefore(now.minus(PAST_TOLERANCE))) {
            throw ApiException.badRequest("plan_effective_in_past", "plan_effective_at " + from + " lies in the"
                    + " past; a plan change takes effect now or later, never earlier (calls already priced stay"
                    + " as they were)");
        }
        if (from.isBefore(now)) {
            from = now;
        }
        PlanEntity plan = plans.lockForShare(planId).orElseThrow(() -> ApiException.badRequest("unknown_plan",
                "plan_id " + planId + " is not an existing plan"));
        if (plan.archivedAt != null) {
            throw ApiException.conflict("plan_archived", "Plan '" + plan.name + "' is archived and takes no new"
                    + " tenants; restore it (POST /admin/v1/plans/" + plan.id + "/restore) or choose another plan");
        }
        if (assignments.exists(tenantId, from)) {
            throw changeExists(slug, from);
        }
        return insert(tenantId, slug, plan, from, now, caller, false);
    }

    /** Records the change (409 {@code plan_change_exists} when one at that instant won a race) and audits it. */
    private TenantPlanRef insert(UUID tenantId, String slug, PlanEntity plan, Instant from, Instant now, Caller caller,
            boolean selfService) {
        TenantPlanEntity row = new TenantPlanEntity();
        row.id = UUID.randomUUID();
        row.tenantId = tenantId;
        row.planId = plan.id;
        row.effectiveFrom = from;
        row.createdAt = now;
        row.createdBy = caller.actor();
        row.selfService = selfService;
        try {
            assignments.persistAndFlush(row);
        } catch (PersistenceException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw changeExists(slug, from); // a concurrent change at the same instant won
            }
            throw e;
        }
        audit.record(caller.actor(), ActorKind.USER, tenantId, "tenant.plan_scheduled", "tenant", slug,
                Constraints.json("plan_id", plan.id.toString(), "plan_name", plan.name, "plan_revision",
                        plan.revision, "effective_from", from.toString(), "self_service", selfService ? true : null));
        return new TenantPlanRef(plan.id, plan.name, from);
    }

    /**
     * A tenant admin's own choice of a self-service plan, from the start of the tenant's next billing period or, with
     * {@code now}, at once. At once is for a plan of the same currency and a fee at least that of the plan the tenant
     * is on (409 {@code plan_change_next_period} otherwise): the period's fee is the highest of the plans it had
     * ({@link io.aiaas.platform.billing.invoice.service.InvoiceCalculator#feePlan}), so a move down within a period
     * would only take limits away for the same fee. A pending choice of the tenant is replaced; choosing the plan the
     * tenant is on (self-service or not) cancels it. 400 {@code unknown_plan} for a plan the tenant cannot choose
     * (worded alike whether it exists or not), 409 {@code plan_change_scheduled} when a platform admin has scheduled a
     * change, which a tenant never overrides. Answers the change made, or empty when none is pending now; every
     * replica learns of it when it commits.
     */
    @Transactional
    public Optional<TenantPlanRef> choose(UUID tenantId, String slug, UUID planId, boolean now, Caller caller) {
        ZoneId zone = lockTenant(tenantId, slug);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Optional<UUID> current = assignments.planAt(tenantId, at);
        // staying on the plan it is on is always a choice, self-service or not: it cancels a pending change
        boolean staying = current.filter(planId::equals).isPresent();
        PlanEntity plan = plans.lockForShare(planId).filter(p -> staying || (p.selfService && p.archivedAt == null))
                .orElseThrow(() -> ApiException.badRequest("unknown_plan", "plan_id " + planId + " is not a plan"
                        + " tenant '" + slug + "' can choose; GET /api/v1/tenants/" + slug + "/plan/choices lists"
                        + " them"));
        List<TenantPlanEntity> pending = assignments.scheduledAfter(tenantId, at);
        for (TenantPlanEntity change : pending) {
            if (!change.selfService) {
                PlanEntity scheduled = plans.findById(change.planId);
                throw ApiException.conflict("plan_change_scheduled", "A platform administrator has scheduled plan '"
                        + scheduled.name + "' for tenant '" + slug + "' from " + change.effectiveFrom + "; ask them"
                        + " to change it");
            }
        }
        if (now && !staying && current.isPresent()) {
            requireUpgrade(plans.findById(current.get()), plan);
        }
        for (TenantPlanEntity change : pending) {
            assignments.delete(change);
            audit.record(caller.actor(), ActorKind.USER, tenantId, "tenant.plan_change_cancelled", "tenant", slug,
                    Constraints.json("plan_id", change.planId.toString(), "effective_from",
                            change.effectiveFrom.toString()));
        }
        assignments.flush();
        announce(tenantId);
        if (staying) {
            return Optional.empty(); // the pending choice, if any, is cancelled
        }
        Instant from = now ? at : BillingPeriods.end(BillingPeriods.periodOf(at, zone), zone);
        return Optional.of(insert(tenantId, slug, plan, from, at, caller, true));
    }

    /** 409 {@code plan_change_next_period} unless moving from {@code current} to {@code target} may happen at once. */
    private void requireUpgrade(PlanEntity current, PlanEntity target) {
        if (!current.currency.equals(target.currency)) {
            throw ApiException.conflict("plan_change_next_period", "Plan '" + target.name + "' is priced in "
                    + target.currency + " and plan '" + current.name + "' in " + current.currency + ": a billing"
                    + " period is invoiced in one currency, so this change takes effect at the next period"
                    + " (\"effective\": \"next_period\")");
        }
        long currentFee = planSpecs.specOf(current).monthlyFeeMicros();
        long targetFee = planSpecs.specOf(target).monthlyFeeMicros();
        if (targetFee < currentFee) {
            throw ApiException.conflict("plan_change_next_period", "Plan '" + target.name + "' has a lower monthly"
                    + " fee than plan '" + current.name + "', and a period's fee is the highest of the plans it had:"
                    + " a move to a smaller plan takes effect at the next period (\"effective\": \"next_period\")");
        }
    }

    /**
     * Locks the tenant's row (one plan choice of a tenant at a time) and answers its billing time zone; 409
     * {@code tenant_closed} when a close committed after the caller's access check (its scheduled changes were
     * cancelled then, and none may follow).
     */
    private ZoneId lockTenant(UUID tenantId, String slug) {
        String[] row = jdbc.queryFirst("SELECT time_zone, status FROM tenants WHERE id = ? FOR UPDATE",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, tenantId).orElseThrow();
        if ("CLOSED".equals(row[1])) {
            throw TenantService.closed(slug);
        }
        return ZoneId.of(row[0]);
    }

    /**
     * Cancels the plan changes scheduled after {@code at} of a tenant closing at that instant (its plan ends with
     * {@code tenants.closed_at}, which {@link TenantPlans} reads); answers how many there were. The caller holds the
     * tenant's row lock and announces the change.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancelScheduled(UUID tenantId, String slug, Instant at, Caller caller) {
        List<TenantPlanEntity> pending = assignments.scheduledAfter(tenantId, at);
        for (TenantPlanEntity change : pending) {
            assignments.delete(change);
            audit.record(caller.actor(), ActorKind.USER, tenantId, "tenant.plan_change_cancelled", "tenant", slug,
                    Constraints.json("plan_id", change.planId.toString(), "effective_from",
                            change.effectiveFrom.toString(), "reason", "tenant_closed"));
        }
        assignments.flush();
        return pending.size();
    }

    /** Every replica's TenantPlans drops this tenant when the current transaction commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(UUID tenantId) {
        notifications.publish(PlansChanged.CHANNEL, tenantId.toString());
        changed.fire(new PlansChanged(tenantId.toString()));
    }

    /** The tenant's plan changes, latest effective time first. */
    @Transactional
    public List<PlanChangeView> history(UUID tenantId) {
        Instant now = Instant.now();
        List<Change> changes = assignments.history(tenantId);
        List<PlanChangeView> views = new ArrayList<>(changes.size());
        boolean currentSeen = false;
        for (Change c : changes) {
            String state;
            if (c.effectiveFrom().isAfter(now)) {
                state = "scheduled";
            } else if (!currentSeen) {
                state = "current";
                currentSeen = true;
            } else {
                state = "past";
            }
            views.add(new PlanChangeView(c.effectiveFrom(), c.planId(), c.planName(), state, c.createdAt(),
                    c.createdBy(), c.selfService()));
        }
        return views;
    }

    /** Each tenant's current plan and next change at {@code at}; tenants without any get {@link PlanSchedule#NONE}. */
    @Transactional
    public Map<UUID, PlanSchedule> schedules(Collection<UUID> tenantIds, Instant at) {
        Map<UUID, PlanSchedule> schedules = new HashMap<>();
        for (Change c : assignments.historyOf(tenantIds)) { // oldest first per tenant
            PlanSchedule s = schedules.getOrDefault(c.tenantId(), PlanSchedule.NONE);
            TenantPlanRef ref = new TenantPlanRef(c.planId(), c.planName(), c.effectiveFrom());
            if (!c.effectiveFrom().isAfter(at)) {
                schedules.put(c.tenantId(), new PlanSchedule(ref, null));
            } else if (s.next() == null) {
                schedules.put(c.tenantId(), new PlanSchedule(s.current(), ref));
            }
        }
        return schedules;
    }

    @Transactional
    public PlanSchedule scheduleOf(UUID tenantId, Instant at) {
        return schedules(List.of(tenantId), at).getOrDefault(tenantId, PlanSchedule.NONE);
    }

    private static ApiException changeExists(String slug, Instant from) {
        return ApiException.conflict("plan_change_exists", "Tenant '" + slug + "' already has a plan change at "
                + from + "; history is never rewritten: choose another instant");
    }
}
