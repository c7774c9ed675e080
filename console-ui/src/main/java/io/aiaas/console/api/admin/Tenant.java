package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant as {@code GET /admin/v1/tenants} shows it: status active, suspended or closed ({@code closed_at} then says
 * when; null otherwise), the plan in effect now and the next scheduled change (each null when there is none); billing
 * months run in {@code time_zone}; {@code signed_up_by} is set (the creator's account id) when someone created it by
 * signing up; {@code suspended_reason} is {@code non_payment} when platform-api's overdue sweep suspended it;
 * {@code suspension_note} is what the operator who suspended it told the tenant (null without one, and whenever it is
 * not suspended); {@code monthly_budget_micros} is the tenant's own spending limit, set by its admins, in micro-units of
 * its plan's currency a billing period (null: none, or a platform-api of before).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tenant(UUID id, String slug, String name, String status, String timeZone, PlanRef plan,
        PlanRef nextPlan, Instant createdAt, Instant updatedAt, String signedUpBy, Instant closedAt,
        String suspendedReason, String suspensionNote, Long monthlyBudgetMicros) {

    /** A plan the tenant is (or will be) on from {@code effective_from}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlanRef(UUID id, String name, Instant effectiveFrom) {
    }

    public boolean suspended() {
        return "suspended".equals(status);
    }

    /** Suspended by platform-api for an invoice unpaid past its grace; settling what it owes resumes it. */
    public boolean suspendedForNonPayment() {
        return suspended() && "non_payment".equals(suspendedReason);
    }

    /**
     * Suspended by a platform admin: only one resumes it, and its note (what the tenant is told) can be changed while
     * it lasts. Changing the note of a tenant suspended for not paying would make that suspension an operator's (no
     * longer lifted by the payment), so the page offers it only here.
     */
    public boolean suspendedByOperator() {
        return suspended() && !suspendedForNonPayment();
    }

    /** What the operator's suspension tells the tenant, or null when there is none. */
    public String operatorNote() {
        return suspendedByOperator() && suspensionNote != null && !suspensionNote.isBlank() ? suspensionNote : null;
    }

    /** Whether the tenant's admins set a spending limit of its own (a limit of 0 is one: nothing may be spent). */
    public boolean spendingLimited() {
        return monthlyBudgetMicros != null;
    }

    /** Closed for good: platform-api refuses every change to it (409 {@code tenant_closed}). */
    public boolean closed() {
        return "closed".equals(status);
    }
}
