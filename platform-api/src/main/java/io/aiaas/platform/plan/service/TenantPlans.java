package io.aiaas.platform.plan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.persistence.Jdbc;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which plan a tenant is on at an instant: the hot path's lookup, cached per tenant (its whole plan history and time
 * zone) and dropped on every replica when a plan or an assignment changes ({@link PlansChanged}). A closed tenant's
 * last plan ends when it closed: it has none after.
 */
@ApplicationScoped
public class TenantPlans {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final String HISTORY = """
            SELECT t.time_zone, t.closed_at, tp.effective_from, p.id, p.name, p.revision, p.spec::text
            FROM tenants t
            LEFT JOIN tenant_plans tp ON tp.tenant_id = t.id
            LEFT JOIN plans p ON p.id = tp.plan_id
            WHERE t.id = ?
            ORDER BY tp.effective_from""";

    private record Change(Instant from, UUID planId, String name, int revision, PlanSpec spec) {
    }

    /** A tenant's time zone and plan history, oldest first, and when it closed (null while open). */
    private record Billing(ZoneId zone, List<Change> changes, Instant closedAt) {
    }

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final ChangeNotifications notifications;
    private final Cache<UUID, Billing> cache;

    TenantPlans(Jdbc jdbc, ObjectMapper json, ChangeNotifications notifications) {
        this.jdbc = jdbc;
        this.json = json;
        this.notifications = notifications;
        this.cache = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(100_000).build();
    }

    void subscribe(@Observes StartupEvent event) {
        notifications.subscribe(PlansChanged.CHANNEL, (channel, payload) -> forget(payload));
    }

    void onChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) PlansChanged changed) {
        forget(changed.tenantIdOrAll());
    }

    private void forget(String payload) {
        if (payload == null || PlansChanged.ALL.equals(payload)) {
            cache.invalidateAll();
            return;
        }
        try {
            cache.invalidate(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            cache.invalidateAll();
        }
    }

    /** The plan in effect at {@code at}; empty when the tenant has none (nothing is limited or priced). */
    public Optional<ActivePlan> at(UUID tenantId, Instant at) {
        Billing billing = cache.get(tenantId, this::load);
        if (billing.closedAt() != null && !at.isBefore(billing.closedAt())) {
            return Optional.empty();
        }
        List<Change> changes = billing.changes();
        for (int i = changes.size() - 1; i >= 0; i--) {
            if (!changes.get(i).from().isAfter(at)) {
                return Optional.of(active(billing, i));
            }
        }
        return Optional.empty();
    }

    /** The plans in effect at some instant of [{@code start}, {@code end}), in the order they took effect. */
    public List<ActivePlan> during(UUID tenantId, Instant start, Instant end) {
        Billing billing = cache.get(tenantId, this::load);
        List<ActivePlan> during = new ArrayList<>();
        for (int i = 0; i < billing.changes().size(); i++) {
            ActivePlan plan = active(billing, i);
            if (plan.effectiveFrom().isBefore(end) && (plan.until() == null || plan.until().isAfter(start))) {
                during.add(plan);
            }
        }
        return during;
    }

    private static ActivePlan active(Billing billing, int i) {
        List<Change> changes = billing.changes();
        Change change = changes.get(i);
        Instant until = i + 1 < changes.size() ? changes.get(i + 1).from() : billing.closedAt();
        return new ActivePlan(change.planId(), change.name(), change.revision(), change.spec(), billing.zone(),
                change.from(), until);
    }

    /** The tenant's time zone (UTC when unknown): its billing periods are calendar months there. */
    public ZoneId zoneOf(UUID tenantId) {
        return cache.get(tenantId, this::load).zone();
    }

    private Billing load(UUID tenantId) {
        List<Change> changes = new ArrayList<>();
        String[] zone = {null};
        Instant[] closedAt = {null};
        jdbc.query(HISTORY, rs -> {
            zone[0] = rs.getString(1);
            closedAt[0] = Jdbc.instant(rs, 2);
            Instant from = Jdbc.instant(rs, 3);
            // a change scheduled past the close never took effect (closing cancels them; this covers older rows)
            if (from != null && (closedAt[0] == null || from.isBefore(closedAt[0]))) {
                changes.add(new Change(from, rs.getObject(4, UUID.class), rs.getString(5), rs.getInt(6),
                        parse(rs.getString(7))));
            }
            return null;
        }, tenantId);
        return new Billing(zone(zone[0]), List.copyOf(changes), closedAt[0]);
    }

    private PlanSpec parse(String spec) {
        try {
            return json.readValue(spec, PlanSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored plan spec is not readable", e);
        }
    }

    private static ZoneId zone(String name) {
        if (name == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
