package io.aiaas.platform.tenant.service;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.apikey.service.ApiKeyService;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.events.CapsReached;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.plan.service.PlanChangeView;
import io.aiaas.platform.plan.service.PlanSchedule;
import io.aiaas.platform.plan.service.TenantPlanService;
import io.aiaas.platform.tenant.persistence.TenantEntity;
import io.aiaas.platform.tenant.persistence.TenantMemberEntity;
import io.aiaas.platform.tenant.persistence.TenantMemberRepository;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Creates, changes and lists tenants and their members; every change is audited in the same transaction. */
@ApplicationScoped
public class TenantService {

    /** Same rule as the CHECK constraint on tenants.slug. */
    public static final String SLUG_PATTERN = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

    private final TenantRepository tenants;
    private final TenantMemberRepository members;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<TenantChanged> changed;
    private final TenantPlanService plans;
    private final ApiKeyService apiKeys;
    private final Jdbc jdbc;
    private final TenantSuspensions suspensions;
    private final CapsReached capsReached;

    TenantService(TenantRepository tenants, TenantMemberRepository members, AuditLog audit,
            ChangeNotifications notifications, Event<TenantChanged> changed, TenantPlanService plans,
            ApiKeyService apiKeys, Jdbc jdbc, TenantSuspensions suspensions, CapsReached capsReached) {
        this.tenants = tenants;
        this.capsReached = capsReached;
        this.suspensions = suspensions;
        this.jdbc = jdbc;
        this.apiKeys = apiKeys;
        this.members = members;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
        this.plans = plans;
    }

    @Transactional
    public TenantView create(CreateTenantRequest request, Caller caller) {
        TenantEntity tenant = insert(request, null, caller);
        return view(tenant, PlanSchedule.NONE);
    }

    /**
     * Creates a tenant for the person calling, who signed up for it (recorded in {@code signed_up_by}, which the
     * per-person limit counts); the caller adds them as its admin and puts it on a plan in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TenantEntity createSignedUp(CreateTenantRequest request, Caller caller) {
        return insert(request, caller.subject(), caller);
    }

    private TenantEntity insert(CreateTenantRequest request, String signedUpBy, Caller caller) {
        if (tenants.findBySlug(request.slug()).isPresent()) {
            throw exists(request.slug());
        }
        TenantEntity tenant = new TenantEntity();
        tenant.id = UUID.randomUUID();
        tenant.slug = request.slug();
        tenant.name = request.name().trim();
        tenant.status = "ACTIVE";
        tenant.timeZone = request.timeZone() == null || request.timeZone().isBlank() ? "UTC"
                : zoneId(request.timeZone().trim());
        tenant.createdAt = Instant.now();
        tenant.updatedAt = tenant.createdAt;
        tenant.signedUpBy = signedUpBy;
        try {
            tenants.persistAndFlush(tenant);
        } catch (PersistenceException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw exists(request.slug()); // a concurrent create won the race
            }
            throw e;
        }
        audit.record(caller.actor(), ActorKind.USER, tenant.id, "tenant.created", "tenant", tenant.slug,
                Constraints.json("name", tenant.name, "time_zone", tenant.timeZone, "signed_up_by", signedUpBy));
        return tenant;
    }

    @Transactional
    public List<TenantView> list() {
        return views(tenants.listBySlug());
    }

    /** The most tenants one page of {@link #search} answers. */
    public static final int MAX_PAGE = 1000;

    /**
     * Tenants by slug: with the status ({@code active}, {@code suspended}, {@code closed}; null any), whose slug or
     * name holds {@code q} whatever its case (null any), after the slug {@code after} (the last of the previous page),
     * at most {@code limit} (an integer from 1 to 1000; null: all).
     *
     * @throws ApiException 400 {@code invalid_parameter} naming the parameter
     */
    @Transactional
    public List<TenantView> search(String status, String q, String after, String limit) {
        String state = blankToNull(status);
        if (state != null && !List.of("active", "suspended", "closed").contains(state)) {
            throw ApiException.badRequest("invalid_parameter", "status must be one of active, suspended, closed");
        }
        String text = blankToNull(q);
        if (text != null && text.codePointCount(0, text.length()) > 100) {
            throw ApiException.badRequest("invalid_parameter", "q may be at most 100 characters");
        }
        Integer most = pageSize(blankToNull(limit));
        if (state == null && text == null && blankToNull(after) == null && most == null) {
            return list();
        }
        return views(tenants.search(state == null ? null : state.toUpperCase(Locale.ROOT), text, blankToNull(after),
                most == null ? Integer.MAX_VALUE : most));
    }

    private static Integer pageSize(String limit) {
        if (limit == null) {
            return null;
        }
        try {
            int most = Integer.parseInt(limit);
            if (most >= 1 && most <= MAX_PAGE) {
                return most;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("invalid_parameter", "limit must be an integer from 1 to " + MAX_PAGE);
    }

    private List<TenantView> views(List<TenantEntity> all) {
        Map<UUID, PlanSchedule> schedules = plans.schedules(all.stream().map(t -> t.id).toList(), Instant.now());
        return all.stream().map(t -> view(t, schedules.getOrDefault(t.id, PlanSchedule.NONE))).toList();
    }

    @Transactional
    public TenantView get(String slug) {
        TenantEntity tenant = find(slug);
        return view(tenant, plans.scheduleOf(tenant.id, Instant.now()));
    }

    /** The tenant's plan changes, latest effective time first (scheduled ones included). */
    @Transactional
    public List<PlanChangeView> planHistory(String slug) {
        return plans.history(find(slug).id);
    }

    @Transactional
    public TenantView update(String slug, UpdateTenantRequest request, Caller caller) {
        TenantEntity tenant = findLocked(slug);
        if (request.planEffectiveAt() != null && request.planId() == null) {
            throw ApiException.badRequest("plan_id_required", "plan_effective_at says when a plan change takes"
                    + " effect; give the plan as plan_id too");
        }
        String zone = request.timeZone() == null ? null : zoneId(request.timeZone());
        boolean changed = false;
        if (request.name() != null && !request.name().trim().equals(tenant.name)) {
            String old = tenant.name;
            tenant.name = request.name().trim();
            audit.record(caller.actor(), ActorKind.USER, tenant.id, "tenant.renamed", "tenant", slug,
                    Constraints.json("from", old, "to", tenant.name));
            changed = true;
        }
        if (request.status() != null || request.suspensionNote() != null) {
            changed |= suspensions.changeByOperator(tenant, request, caller);
        }
        boolean billingChanged = zone != null && changeZone(tenant, zone, caller, Instant.now());
        if (request.planId() != null) {
            plans.changePlan(tenant.id, slug, request.planId(), request.planEffectiveAt(), caller);
            billingChanged = true;
        }
        if (billingChanged) {
            // every replica's TenantPlans drops this tenant's plan history and zone when the change commits
            plans.announce(tenant.id);
            changed = true;
        }
        if (changed) {
            tenant.updatedAt = Instant.now();
        }
        return view(tenant, plans.scheduleOf(tenant.id, Instant.now()));
    }

    /**
     * Closes a tenant for good, as one transaction under its row lock: status CLOSED from now ({@code closed_at}),
     * every key revoked (every replica drops them as it commits), plan changes scheduled after now cancelled, and its
     * plan ending now ({@link io.aiaas.platform.plan.service.TenantPlans}): the period under way is still invoiced
     * when it ends, with the fee of the highest plan it had, and no later one has a fee. Members, invoices, usage and
     * the audit log stay, readable; nothing of it changes any more (409 {@code tenant_closed}).
     *
     * @throws ApiException 400 {@code confirmation_mismatch} unless {@code confirm} is the slug, 409
     *         {@code tenant_closed} when it is closed already
     */
    @Transactional
    public TenantView close(String slug, String confirm, Caller caller) {
        TenantEntity tenant = findLocked(slug);
        if (!slug.equals(confirm == null ? null : confirm.trim())) {
            throw ApiException.badRequest("confirmation_mismatch", "Closing a tenant cannot be undone: give its slug"
                    + " '" + slug + "' as confirm");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String was = tenant.status;
        tenant.status = "CLOSED";
        tenant.closedAt = now;
        tenant.updatedAt = now;
        int revoked = apiKeys.revokeAll(tenant.id, caller);
        int cancelled = plans.cancelScheduled(tenant.id, slug, now, caller);
        audit.record(caller.actor(), ActorKind.USER, tenant.id, "tenant.closed", "tenant", slug,
                Constraints.json("was", was.toLowerCase(Locale.ROOT), "revoked_keys", revoked,
                        "cancelled_plan_changes", cancelled));
        announce(tenant);
        plans.announce(tenant.id);
        return view(tenant, PlanSchedule.NONE);
    }

    /**
     * Moves the tenant's billing periods to another time zone (a tenant admin's own change; a platform admin's goes
     * through {@link #update}) as of {@code now} (the current instant but in tests): from then on, unless the new
     * zone is then still in a month that has ended in the old one.
     *
     * @throws ApiException 400 {@code invalid_time_zone}; 409 {@code tenant_closed},
     *         {@code time_zone_change_too_early}
     */
    @Transactional
    public String changeTimeZone(String slug, String timeZone, Caller caller, Instant now) {
        TenantEntity tenant = findLocked(slug);
        if (changeZone(tenant, zoneId(timeZone.trim()), caller, now)) {
            plans.announce(tenant.id);
            tenant.updatedAt = Instant.now();
        }
        return tenant.timeZone;
    }

    /**
     * Caps what the whole tenant may spend in a billing period ({@code null}: only its plan's budget, if any), in
     * micro-units of its plan's currency; every replica's gateway applies the tighter of it and the plan's hard budget
     * once the change commits (NOTIFY). The same cap again changes nothing.
     *
     * @throws ApiException 409 {@code tenant_closed}
     */
    @Transactional
    public Long setBudget(String slug, Long budgetMicros, Caller caller) {
        TenantEntity tenant = findLocked(slug);
        if (!Objects.equals(budgetMicros, tenant.monthlyBudgetMicros)) {
            audit.record(caller.actor(), ActorKind.USER, tenant.id, "tenant.budget_changed", "tenant", tenant.slug,
                    Constraints.json("from", tenant.monthlyBudgetMicros, "to", budgetMicros));
            tenant.monthlyBudgetMicros = budgetMicros;
            tenant.updatedAt = Instant.now();
            announce(tenant);
            if (budgetMicros != null) {
                capsReached.tenantCapSet(tenant.id, BillingPeriods.periodOf(Instant.now(),
                        ZoneId.of(tenant.timeZone)), budgetMicros);
            }
        }
        return tenant.monthlyBudgetMicros;
    }

    /**
     * Sets the tenant's zone, audited; answers whether it changed (the caller announces it to every replica's plan
     * cache).
     *
     * @throws ApiException 409 {@code time_zone_change_too_early} while the new zone is still in a month that has
     *         ended in the old one: its calls would land in that month, perhaps invoiced already
     */
    private boolean changeZone(TenantEntity tenant, String zone, Caller caller, Instant now) {
        if (zone.equals(tenant.timeZone)) {
            return false;
        }
        ZoneId from = ZoneId.of(tenant.timeZone);
        ZoneId to = ZoneId.of(zone);
        Optional<Instant> until = BillingPeriods.zoneChangeRefusedUntil(now, from, to);
        if (until.isPresent()) {
            throw ApiException.conflict("time_zone_change_too_early", "In " + zone + " it is still "
                    + BillingPeriods.name(BillingPeriods.periodOf(now, to)) + ", a billing period that has ended in "
                    + tenant.timeZone + "; calls recorded in it now might never be invoiced. Change the time zone"
                    + " from " + until.get() + " on");
        }
        audit.record(caller.actor(), ActorKind.USER, tenant.id, "tenant.time_zone_changed", "tenant", tenant.slug,
                Constraints.json("from", tenant.timeZone, "to", zone));
        tenant.timeZone = zone;
        return true;
    }

    /** 409 {@code tenant_closed}: what a change to a closed tenant answers. */
    public static ApiException closed(String slug) {
        return ApiException.conflict("tenant_closed", "Tenant '" + slug + "' is closed; its invoices, usage and"
                + " audit log stay readable, but nothing of it can change");
    }

    /** Every replica's key cache drops this tenant's keys when the change commits (they read its status). */
    private void announce(TenantEntity tenant) {
        notifications.publish(TenantChanged.CHANNEL, tenant.id.toString());
        this.changed.fire(new TenantChanged(tenant.id));
    }

    @Transactional
    public MemberView addMember(String slug, AddMemberRequest request, Caller caller) {
        TenantEntity tenant = findLocked(slug);
        String email = blankToNull(request.email());
        String subject = blankToNull(request.subject());
        if ((email != null && members.emailTaken(tenant.id, email))
                || (subject != null && members.subjectTaken(tenant.id, subject))) {
            throw memberExists(slug);
        }
        TenantMemberEntity member = new TenantMemberEntity();
        member.id = UUID.randomUUID();
        member.tenantId = tenant.id;
        member.email = email;
        member.subject = subject;
        member.role = request.role().toUpperCase(Locale.ROOT);
        member.createdAt = Instant.now();
        try {
            members.persistAndFlush(member);
        } catch (PersistenceException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw memberExists(slug);
            }
            throw e;
        }
        audit.record(caller.actor(), ActorKind.USER, tenant.id, "member.added", "member", member.id.toString(),
                Constraints.json("email", email, "subject", subject, "role", member.role));
        return view(member);
    }

    @Transactional
    public List<MemberView> listMembers(String slug) {
        TenantEntity tenant = find(slug);
        return members.listByTenant(tenant.id).stream().map(TenantService::view).toList();
    }

    /**
     * Gives a member another role; the same role again changes nothing.
     *
     * @throws ApiException 404 {@code member_not_found}, 409 {@code last_admin} when it would leave no admin
     */
    @Transactional
    public MemberView changeRole(String slug, UUID memberId, ChangeMemberRoleRequest request, Caller caller) {
        TenantEntity tenant = findLocked(slug);
        TenantMemberEntity member = findMember(tenant, slug, memberId);
        String role = request.role().toUpperCase(Locale.ROOT);
        if (role.equals(member.role)) {
            return view(member);
        }
        if ("ADMIN".equals(member.role)) {
            requireAnotherAdmin(tenant, slug, "demote");
        }
        String old = member.role;
        member.role = role;
        audit.record(caller.actor(), ActorKind.USER, tenant.id, "member.role_changed", "member", memberId.toString(),
                Constraints.json("email", member.email, "subject", member.subject, "from", old, "to", role));
        return view(member);
    }

    /**
     * Removes a member.
     *
     * @throws ApiException 404 {@code member_not_found}, 409 {@code last_admin} when it would leave no admin
     */
    @Transactional
    public void removeMember(String slug, UUID memberId, Caller caller) {
        TenantEntity tenant = findLocked(slug);
        TenantMemberEntity member = findMember(tenant, slug, memberId);
        if ("ADMIN".equals(member.role)) {
            requireAnotherAdmin(tenant, slug, "remove");
        }
        members.delete(member);
        audit.record(caller.actor(), ActorKind.USER, tenant.id, "member.removed", "member", memberId.toString(),
                Constraints.json("email", member.email, "subject", member.subject));
    }

    /** The zone's normalised id; 400 {@code invalid_time_zone} when Java's zone database does not know it. */
    private static String zoneId(String text) {
        try {
            return ZoneId.of(text).getId();
        } catch (DateTimeException e) {
            throw ApiException.badRequest("invalid_time_zone", "time_zone '" + text + "' is not a time zone; use"
                    + " an IANA zone id such as Europe/Paris, America/New_York or UTC");
        }
    }

    private TenantMemberEntity findMember(TenantEntity tenant, String slug, UUID memberId) {
        return members.findByIdOptional(memberId)
                .filter(m -> m.tenantId.equals(tenant.id))
                .orElseThrow(() -> ApiException.notFound("member_not_found",
                        "No member " + memberId + " in tenant '" + slug + "'"));
    }

    /** A tenant must keep an admin, or nobody but a platform admin could manage its keys and people again. */
    private void requireAnotherAdmin(TenantEntity tenant, String slug, String verb) {
        if (members.countAdmins(tenant.id) <= 1) {
            throw ApiException.conflict("last_admin", "Cannot " + verb + " the last admin of tenant '" + slug
                    + "'; make another member admin first");
        }
    }

    /**
     * The tenant to change, with its row locked until the transaction ends: changes to its admins take turns, so two
     * admins demoting each other at once cannot leave the tenant without one, and none lands on a tenant as it
     * closes. 409 {@code tenant_closed} for a closed one.
     */
    private TenantEntity findLocked(String slug) {
        TenantEntity tenant = find(slug);
        // refresh, not lock: the state read before the lock may be stale once it is granted (a close committed)
        tenants.getEntityManager().refresh(tenant, LockModeType.PESSIMISTIC_WRITE);
        if ("CLOSED".equals(tenant.status)) {
            throw closed(slug);
        }
        return tenant;
    }

    private TenantEntity find(String slug) {
        return tenants.findBySlug(slug)
                .orElseThrow(() -> ApiException.notFound("tenant_not_found", "No tenant '" + slug + "'"));
    }

    private static ApiException exists(String slug) {
        return ApiException.conflict("tenant_exists", "A tenant with slug '" + slug + "' already exists");
    }

    private static ApiException memberExists(String slug) {
        return ApiException.conflict("member_exists", "That person is already a member of tenant '" + slug + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static TenantView view(TenantEntity t, PlanSchedule plan) {
        return new TenantView(t.id, t.slug, t.name, t.status.toLowerCase(Locale.ROOT), t.timeZone,
                t.closedAt == null ? plan.current() : null, t.closedAt == null ? plan.next() : null, t.createdAt,
                t.updatedAt, t.signedUpBy, t.closedAt, "SUSPENDED".equals(t.status) ? t.suspendedReason : null,
                "SUSPENDED".equals(t.status) ? t.suspensionNote : null, t.monthlyBudgetMicros);
    }

    static MemberView view(TenantMemberEntity m) {
        return new MemberView(m.id, m.email, m.subject, m.role.toLowerCase(Locale.ROOT), m.createdAt);
    }
}
