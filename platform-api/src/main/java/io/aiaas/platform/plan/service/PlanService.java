package io.aiaas.platform.plan.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.plan.persistence.PlanEntity;
import io.aiaas.platform.plan.persistence.PlanRepository;
import io.aiaas.platform.plan.persistence.TenantPlanRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates, lists and replaces plans. Every change is audited and, in the same transaction, announced
 * ({@link PlansChanged}) so that every replica's {@link TenantPlans} cache drops what it holds.
 */
@ApplicationScoped
public class PlanService {

    private final PlanRepository plans;
    private final TenantPlanRepository assignments;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<PlansChanged> changed;

    PlanService(PlanRepository plans, TenantPlanRepository assignments, ObjectMapper json, AuditLog audit,
            ChangeNotifications notifications, Event<PlansChanged> changed) {
        this.plans = plans;
        this.assignments = assignments;
        this.json = json;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
    }

    @Transactional
    public PlanView create(PlanSpec spec, Caller caller) {
        check(spec);
        if (plans.findByName(spec.name()).isPresent()) {
            throw exists(spec.name());
        }
        PlanEntity plan = new PlanEntity();
        plan.id = UUID.randomUUID();
        plan.name = spec.name();
        plan.currency = spec.currency();
        plan.spec = write(spec);
        plan.revision = 1;
        plan.createdAt = now();
        plan.updatedAt = plan.createdAt;
        try {
            plans.persistAndFlush(plan);
        } catch (PersistenceException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw exists(spec.name()); // a concurrent create won the race
            }
            throw e;
        }
        audit.record(caller.actor(), ActorKind.USER, null, "plan.created", "plan", plan.id.toString(),
                Constraints.json("name", plan.name, "currency", plan.currency, "revision", plan.revision));
        announce();
        return view(plan, spec);
    }

    @Transactional
    public List<PlanView> list() {
        return plans.listByName().stream().map(p -> view(p, read(p.spec))).toList();
    }

    /** The plan; 404 {@code plan_not_found} for an unknown or malformed id. */
    @Transactional
    public PlanView get(String id) {
        PlanEntity plan = parseId(id).flatMap(plans::findByIdOptional).orElseThrow(() -> notFound(id));
        return view(plan, read(plan.spec));
    }

    /**
     * Replaces the plan's definition (revision + 1). The currency stays while any tenant is, was or will be on the
     * plan: its usage rows and invoices are in that currency. A body equal to the stored definition changes nothing.
     */
    @Transactional
    public PlanView replace(String id, PlanSpec spec, Caller caller) {
        check(spec);
        PlanEntity plan = parseId(id).flatMap(plans::lockForUpdate).orElseThrow(() -> notFound(id));
        PlanSpec old = read(plan.spec);
        if (old.equals(spec)) {
            return view(plan, old);
        }
        if (!plan.currency.equals(spec.currency()) && assignments.anyOn(plan.id)) {
            throw ApiException.conflict("currency_locked", "Plan '" + plan.name + "' is in " + plan.currency
                    + " and tenants are or were on it; its currency cannot change. Create a new plan in "
                    + spec.currency() + " and move the tenants to it");
        }
        if (!plan.name.equals(spec.name()) && plans.findByName(spec.name()).isPresent()) {
            throw exists(spec.name());
        }
        String oldName = plan.name;
        plan.name = spec.name();
        plan.currency = spec.currency();
        plan.spec = write(spec);
        plan.revision = plan.revision + 1;
        plan.updatedAt = now();
        try {
            plans.flush();
        } catch (PersistenceException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw exists(spec.name());
            }
            throw e;
        }
        audit.record(caller.actor(), ActorKind.USER, null, "plan.updated", "plan", plan.id.toString(),
                Constraints.json("name", plan.name, "renamed_from", oldName.equals(plan.name) ? null : oldName,
                        "currency", plan.currency, "revision", plan.revision));
        announce();
        return view(plan, spec);
    }

    /**
     * Archives the plan: no tenant can be moved onto it any more (409 {@code plan_archived}), while the tenants on
     * it, and those whose change onto it is already scheduled, stay on it and are priced by it as before. Archiving
     * an archived plan changes nothing. Under the plan's row lock, so a plan change that locked it first commits
     * before, and one that comes after sees the archive.
     */
    @Transactional
    public PlanView archive(String id, Caller caller) {
        return setArchived(id, true, caller);
    }

    /** Offers an archived plan again; restoring a plan that is not archived changes nothing. */
    @Transactional
    public PlanView restore(String id, Caller caller) {
        return setArchived(id, false, caller);
    }

    private PlanView setArchived(String id, boolean archived, Caller caller) {
        PlanEntity plan = parseId(id).flatMap(plans::lockForUpdate).orElseThrow(() -> notFound(id));
        if ((plan.archivedAt != null) != archived) {
            Instant at = now();
            plan.archivedAt = archived ? at : null;
            plan.updatedAt = at;
            audit.record(caller.actor(), ActorKind.USER, null, archived ? "plan.archived" : "plan.restored", "plan",
                    plan.id.toString(), Constraints.json("name", plan.name, "tenants_on_it",
                            assignments.tenantsOnOrScheduled(plan.id, at)));
        }
        return view(plan, read(plan.spec));
    }

    /**
     * Lets tenant admins choose the plan themselves, or stops it (a tenant already on it, or with a change onto it
     * scheduled, keeps it); audited {@code plan.self_service_changed} when it changed.
     */
    @Transactional
    public PlanView setSelfService(String id, boolean selfService, Caller caller) {
        PlanEntity plan = parseId(id).flatMap(plans::lockForUpdate).orElseThrow(() -> notFound(id));
        if (plan.selfService != selfService) {
            plan.selfService = selfService;
            plan.updatedAt = now();
            audit.record(caller.actor(), ActorKind.USER, null, "plan.self_service_changed", "plan",
                    plan.id.toString(), Constraints.json("name", plan.name, "self_service", selfService));
        }
        return view(plan, read(plan.spec));
    }

    /** The plans a tenant admin may choose: self-service and not archived, by name. */
    @Transactional
    public List<PlanView> selfServiceChoices() {
        return plans.listByName().stream().filter(p -> p.selfService && p.archivedAt == null)
                .map(p -> view(p, read(p.spec))).toList();
    }

    /** The largest fee, credit or budget: a billion units of the currency, so nano-unit sums stay within 63 bits. */
    public static final long MAX_AMOUNT_MICROS = 1_000_000_000_000_000L;
    /** The largest unit price: 1,000 units of the currency per 1,000 requests or items, or per compute-second. */
    public static final long MAX_UNIT_MICROS = 1_000_000_000L;
    /** The largest compute tier bound in seconds: pricing counts compute in microseconds in a long. */
    public static final long MAX_COMPUTE_UP_TO = Long.MAX_VALUE / 1_000_000L;

    /**
     * Rules beyond Bean Validation: PlanSpec's own cross-field rules, a currency the platform knows, and bounds that
     * keep every price computation of a call within integer range (an overflow there would fail calls, not this).
     */
    private static void check(PlanSpec spec) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (!Amounts.isKnownCurrency(spec.currency())) {
            violations.add(new Problem.Violation("currency", "'" + spec.currency() + "' is not an ISO 4217 code"));
        }
        atMost(violations, "monthly_fee_micros", spec.monthlyFeeMicros(), MAX_AMOUNT_MICROS);
        atMost(violations, "included_credit_micros", spec.includedCreditMicros(), MAX_AMOUNT_MICROS);
        if (spec.budget() != null) {
            atMost(violations, "budget.limit_micros", spec.budget().limitMicros(), MAX_AMOUNT_MICROS);
        }
        for (int i = 0; i < spec.prices().size(); i++) {
            PlanSpec.ModelPrice price = spec.prices().get(i);
            String key = "prices[" + i + "].";
            bounded(violations, key + "per_1k_requests", price.per1kRequests(), Long.MAX_VALUE);
            bounded(violations, key + "per_1k_items", price.per1kItems(), Long.MAX_VALUE);
            bounded(violations, key + "per_compute_second", price.perComputeSecond(), MAX_COMPUTE_UP_TO);
        }
        for (String problem : spec.problems()) {
            int colon = problem.indexOf(": ");
            violations.add(colon < 0 ? new Problem.Violation("request", problem)
                    : new Problem.Violation(problem.substring(0, colon), problem.substring(colon + 2)));
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid("invalid_plan", violations);
        }
    }

    private static void bounded(List<Problem.Violation> violations, String field, PlanSpec.PriceComponent component,
            long maxUpTo) {
        if (component == null || component.tiers() == null) {
            return;
        }
        for (int i = 0; i < component.tiers().size(); i++) {
            PlanSpec.Tier tier = component.tiers().get(i);
            String at = field + ".tiers[" + i + "]";
            atMost(violations, at + ".unit_micros", tier.unitMicros(), MAX_UNIT_MICROS);
            if (tier.upTo() != null) {
                atMost(violations, at + ".up_to", tier.upTo(), maxUpTo);
            }
        }
    }

    private static void atMost(List<Problem.Violation> violations, String field, Long value, long max) {
        if (value != null && value > max) {
            violations.add(new Problem.Violation(field, "must be at most " + max));
        }
    }

    /** Every replica's TenantPlans drops its cache when this transaction commits. */
    private void announce() {
        notifications.publish(PlansChanged.CHANNEL, PlansChanged.ALL);
        changed.fire(new PlansChanged(PlansChanged.ALL));
    }

    private String write(PlanSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a plan spec", e);
        }
    }

    /** The plan's definition as stored. */
    PlanSpec specOf(PlanEntity plan) {
        return read(plan.spec);
    }

    private PlanSpec read(String spec) {
        try {
            return json.readValue(spec, PlanSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored plan spec is not readable", e);
        }
    }

    static Optional<UUID> parseId(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static PlanView view(PlanEntity plan, PlanSpec spec) {
        return PlanView.of(plan.id, plan.revision, plan.createdAt, plan.updatedAt, plan.archivedAt, plan.selfService,
                spec);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    // a malformed id is not repeated: it is the client's text, not an id of ours
    private static ApiException notFound(String id) {
        return ApiException.notFound("plan_not_found", parseId(id).map(uuid -> "No plan " + uuid)
                .orElse("No such plan: plan ids are UUIDs"));
    }

    private static ApiException exists(String name) {
        return ApiException.conflict("plan_exists", "A plan named '" + name + "' already exists");
    }
}
