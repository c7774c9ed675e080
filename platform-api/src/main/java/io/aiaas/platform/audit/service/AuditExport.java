package io.aiaas.platform.audit.service;

import io.aiaas.platform.audit.persistence.AuditQueries;
import io.aiaas.platform.audit.persistence.AuditQueries.Entry;
import io.aiaas.platform.audit.persistence.AuditQueries.Filter;
import io.aiaas.platform.common.web.Csv;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The audit entries a checked filter matches, as CSV (RFC 4180, CRLF; a text a spreadsheet would take for a formula
 * is defused, {@link Csv#escape}): a header, then every entry newest first, read a page at a time by id, so an
 * export of millions of entries holds one page in memory and no transaction open. {@code details} is the entry's
 * JSON as stored. No HTTP in here.
 */
public final class AuditExport {

    static final String HEADER = "id,at,actor,actor_kind,tenant,action,target_type,target_id,details";
    /** Entries read per query. */
    static final int PAGE = 1_000;

    private final AuditQueries queries;
    private final Filter filter;
    private final String filename;

    AuditExport(AuditQueries queries, Filter filter, String name) {
        this.queries = queries;
        this.filter = filter;
        this.filename = name + "-" + LocalDate.now(ZoneOffset.UTC) + ".csv";
    }

    /** The download's name, e.g. {@code audit-acme-2026-12-02.csv}. */
    public String filename() {
        return filename;
    }

    /** Writes the header and every matching entry, flushing after each page. */
    public void writeTo(Writer out) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append("\r\n");
        Long before = null;
        List<Entry> page;
        do {
            page = queries.page(filter.before(before));
            for (Entry e : page) {
                Csv.record(text, List.of(String.valueOf(e.id()), e.at().toString(), e.actor(), e.actorKind(),
                        e.tenantSlug() == null ? "" : e.tenantSlug(), e.action(), nullToEmpty(e.targetType()),
                        nullToEmpty(e.targetId()), nullToEmpty(e.details())));
                before = e.id();
            }
            out.write(text.toString());
            out.flush();
            text.setLength(0);
        } while (page.size() == filter.limit());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
