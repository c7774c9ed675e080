package io.aiaas.platform.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.persistence.AuditQueries;
import io.aiaas.platform.audit.persistence.AuditQueries.Entry;
import io.aiaas.platform.audit.persistence.AuditQueries.Filter;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads the audit log: a tenant's own entries for its admins, everything (or one tenant) for platform admins. */
@ApplicationScoped
public class AuditService {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?");

    private final AuditQueries queries;
    private final ObjectMapper json;

    AuditService(AuditQueries queries, ObjectMapper json) {
        this.queries = queries;
        this.json = json;
    }

    /** The tenant's entries only. */
    public AuditPage tenantPage(TenantAccess access, String action, String since, String until, String before,
            String limit) {
        return page(access.tenantId(), action, since, until, before, limit);
    }

    /** Every entry, or one tenant's (by slug; 404 when there is no such tenant). */
    public AuditPage adminPage(String tenant, String action, String since, String until, String before,
            String limit) {
        return page(tenantId(tenant), action, since, until, before, limit);
    }

    /** The tenant a platform admin's filter names (null: every tenant); 404 {@code tenant_not_found}. */
    private UUID tenantId(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            return null;
        }
        return queries.tenantIdOf(tenant.trim()).orElseThrow(() -> ApiException.notFound("tenant_not_found",
                "No tenant '" + (tenant.length() > 63 ? tenant.substring(0, 63) + "..." : tenant) + "'"));
    }

    /**
     * Every entry of the tenant the filters match, as CSV; the filters are checked now (400 before anything is sent),
     * the entries read when the export is written.
     */
    public AuditExport tenantExport(TenantAccess access, String action, String since, String until) {
        return new AuditExport(queries, criteria(access.tenantId(), action, since, until, null, AuditExport.PAGE),
                "audit-" + access.slug());
    }

    /** Every entry the filters match, of all tenants or one (by slug; 404 when there is no such tenant), as CSV. */
    public AuditExport adminExport(String tenant, String action, String since, String until) {
        UUID tenantId = tenantId(tenant);
        return new AuditExport(queries, criteria(tenantId, action, since, until, null, AuditExport.PAGE),
                "audit-" + (tenantId == null ? "all" : tenant.trim()));
    }

    private AuditPage page(UUID tenantId, String action, String since, String until, String before, String limit) {
        int size = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                throw invalid("limit must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        List<Entry> rows = queries.page(criteria(tenantId, action, since, until, before, size + 1));
        boolean more = rows.size() > size;
        List<AuditPage.Entry> entries = rows.subList(0, Math.min(size, rows.size())).stream()
                .map(e -> new AuditPage.Entry(e.id(), e.at(), e.actor(), e.actorKind(), e.tenantId(), e.tenantSlug(),
                        e.action(), e.targetType(), e.targetId(), details(e.details())))
                .toList();
        return new AuditPage(entries, more ? entries.get(entries.size() - 1).id() : null);
    }

    /** The filters as a query of {@code rows} entries; 400 {@code invalid_parameter} naming a bad one. */
    private static Filter criteria(UUID tenantId, String action, String since, String until, String before,
            int rows) {
        String exact = null;
        String prefix = null;
        if (action != null && !action.isBlank()) {
            String a = action.trim();
            if (a.length() > 64 || !ACTION.matcher(a).matches()) {
                throw invalid("action must be an action such as api_key.created, or a prefix such as billing.*");
            }
            if (a.endsWith(".*")) {
                prefix = a.substring(0, a.length() - 1);
            } else {
                exact = a;
            }
        }
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw invalid("since must be before until");
        }
        Long cursor = null;
        if (before != null && !before.isBlank()) {
            try {
                cursor = Long.parseLong(before.trim());
            } catch (NumberFormatException e) {
                throw invalid("before must be an entry id (next_before of the previous page)");
            }
        }
        return new Filter(tenantId, exact, prefix, from, to, cursor, rows);
    }

    private JsonNode details(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.trim()).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(name + " must be an ISO-8601 date-time with offset, e.g. 2026-01-31T00:00:00Z");
        }
        if (instant.isBefore(StorableTimestamp.MIN) || instant.isAfter(StorableTimestamp.MAX)) {
            throw invalid(name + " must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return instant;
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid_parameter", detail);
    }
}
