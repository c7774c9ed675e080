package io.aiaas.platform.plan.service;

/** A tenant's plan now ({@code current}, null when none) and its next scheduled change (null when none). */
public record PlanSchedule(TenantPlanRef current, TenantPlanRef next) {

    public static final PlanSchedule NONE = new PlanSchedule(null, null);
}
