package io.aiaas.platform.plan.service;

/**
 * CDI event fired inside a transaction that changes a plan or which plan a tenant is on (or its time zone); other
 * replicas learn it through PostgreSQL {@code NOTIFY} on {@link #CHANNEL}. Payload: the tenant id, or {@code *}
 * when a plan itself changed.
 */
public record PlansChanged(String tenantIdOrAll) {
    public static final String CHANNEL = "aiaas_plans_changed";
    public static final String ALL = "*";
}
