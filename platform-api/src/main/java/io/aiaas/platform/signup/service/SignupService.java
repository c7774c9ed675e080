package io.aiaas.platform.signup.service;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.plan.persistence.PlanEntity;
import io.aiaas.platform.plan.persistence.PlanRepository;
import io.aiaas.platform.plan.service.TenantPlanRef;
import io.aiaas.platform.plan.service.TenantPlanService;
import io.aiaas.platform.signup.persistence.SignupRepository;
import io.aiaas.platform.signup.persistence.SignupSettingsEntity;
import io.aiaas.platform.tenant.persistence.TenantEntity;
import io.aiaas.platform.tenant.service.AddMemberRequest;
import io.aiaas.platform.tenant.service.CreateTenantRequest;
import io.aiaas.platform.tenant.service.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Self-service sign-up: platform admins choose the plan new tenants start on (none: closed) and how many tenants one
 * person may create; a signed-in person then creates a tenant, becomes its admin, and the tenant is on that plan from
 * the moment it exists, so no tenant made this way ever calls a model without limits or prices. See docs/signup.md.
 */
@ApplicationScoped
public class SignupService {

    private final SignupRepository signups;
    private final PlanRepository plans;
    private final TenantService tenants;
    private final TenantPlanService tenantPlans;
    private final AuditLog audit;

    SignupService(SignupRepository signups, PlanRepository plans, TenantService tenants,
            TenantPlanService tenantPlans, AuditLog audit) {
        this.signups = signups;
        this.plans = plans;
        this.tenants = tenants;
        this.tenantPlans = tenantPlans;
        this.audit = audit;
    }

    @Transactional
    public SignupPolicyView policy() {
        return view(signups.settings());
    }

    /**
     * Replaces the policy: 400 {@code unknown_plan} for a plan that does not exist, 409 {@code plan_archived} for an
     * archived one (it takes no new tenants); audited {@code signup.changed} when something changed.
     */
    @Transactional
    public SignupPolicyView change(ChangeSignupRequest request, Caller caller) {
        SignupSettingsEntity settings = signups.lockSettings();
        if (request.planId() != null) {
            PlanEntity plan = plans.findByIdOptional(request.planId()).orElseThrow(() -> ApiException.badRequest(
                    "unknown_plan", "plan_id " + request.planId() + " is not an existing plan"));
            if (plan.archivedAt != null) {
                throw ApiException.conflict("plan_archived", "Plan '" + plan.name + "' is archived and takes no new"
                        + " tenants; restore it (POST /admin/v1/plans/" + plan.id + "/restore) or choose another plan");
            }
        }
        if (Objects.equals(settings.planId, request.planId())
                && settings.maxTenantsPerPerson == request.maxTenantsPerPerson()) {
            return view(settings);
        }
        audit.record(caller.actor(), ActorKind.USER, null, "signup.changed", "signup", "settings",
                Constraints.json("plan_id_from", Objects.toString(settings.planId, null),
                        "plan_id_to", Objects.toString(request.planId(), null),
                        "max_tenants_per_person_from", settings.maxTenantsPerPerson,
                        "max_tenants_per_person_to", request.maxTenantsPerPerson()));
        settings.planId = request.planId();
        settings.maxTenantsPerPerson = request.maxTenantsPerPerson();
        settings.updatedAt = Instant.now();
        settings.updatedBy = caller.actor();
        return view(settings);
    }

    /** What the calling person may do: whether sign-up is open, on which plan, and how many tenants they made. */
    @Transactional
    public SignupStatusView status(Caller caller) {
        SignupPolicyView policy = view(signups.settings());
        return new SignupStatusView(policy.open(), policy.open() ? policy.planName() : null,
                policy.maxTenantsPerPerson(), signups.tenantsSignedUpBy(caller.subject()));
    }

    /**
     * Creates a tenant for the calling person, adds them as its admin (by subject, and by e-mail only when verified:
     * an unverified address must never let its real owner in) and puts it on the sign-up plan from now, all in one
     * transaction. 403 {@code signup_closed}, 409 {@code signup_limit_reached} when the person already created the
     * maximum, 409 {@code tenant_exists} for a slug that is taken.
     */
    @Transactional
    public SignedUpTenant signUp(CreateTenantRequest request, Caller caller) {
        signups.lockPerson(caller.subject());
        SignupSettingsEntity settings = signups.settings();
        PlanEntity plan = settings.planId == null ? null : plans.findById(settings.planId);
        if (plan == null || plan.archivedAt != null) {
            throw ApiException.forbidden("signup_closed", "Self-service sign-up is closed on this platform; ask a"
                    + " platform administrator to create a tenant for you or to add you to one");
        }
        long created = signups.tenantsSignedUpBy(caller.subject());
        if (created >= settings.maxTenantsPerPerson) {
            throw ApiException.conflict("signup_limit_reached", "You have already created " + created
                    + " tenant" + (created == 1 ? "" : "s") + ", the most one person may create by signing up;"
                    + " ask a platform administrator for more");
        }
        TenantEntity tenant = tenants.createSignedUp(request, caller);
        tenants.addMember(tenant.slug, new AddMemberRequest(caller.verifiedEmail(), caller.subject(), "admin"),
                caller);
        TenantPlanRef onPlan = tenantPlans.changePlan(tenant.id, tenant.slug, plan.id, null, caller);
        tenantPlans.announce(tenant.id);
        return new SignedUpTenant(tenant.slug, tenant.name, tenant.status.toLowerCase(Locale.ROOT), "admin",
                onPlan.id(), onPlan.name(), tenant.createdAt);
    }

    private SignupPolicyView view(SignupSettingsEntity settings) {
        PlanEntity plan = settings.planId == null ? null : plans.findById(settings.planId);
        boolean archived = plan != null && plan.archivedAt != null;
        return new SignupPolicyView(plan != null && !archived, settings.planId, plan == null ? null : plan.name,
                archived, settings.maxTenantsPerPerson, settings.updatedAt, settings.updatedBy);
    }
}
