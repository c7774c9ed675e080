package io.aiaas.platform.tenant.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aiaas.platform.plan.service.TenantPlanRef;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant as the admin API shows it: status is "active", "suspended" or "closed" (since {@code closed_at}, final: no
 * plan, no keys, no changes); {@code plan} is the plan in effect now and
 * {@code next_plan} the next scheduled change (each null when there is none); billing periods are calendar months in
 * {@code time_zone}; {@code signed_up_by} is the OIDC subject of the person who created it by signing up (null when a
 * platform admin created it); {@code suspended_reason} is {@code non_payment} when the overdue sweep suspended it
 * (absent when an operator did, or when it is not suspended); {@code suspension_note} what the operator who suspended
 * it told the tenant (absent without one); {@code monthly_budget_micros} the tenant's own cap on a billing period's
 * spend, which its admins set (null: none).
 */
public record TenantView(UUID id, String slug, String name, String status, String timeZone, TenantPlanRef plan,
        TenantPlanRef nextPlan, Instant createdAt, Instant updatedAt, String signedUpBy, Instant closedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String suspendedReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String suspensionNote, Long monthlyBudgetMicros) {
}
