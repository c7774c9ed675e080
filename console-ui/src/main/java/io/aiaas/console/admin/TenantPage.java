package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.web.FormError;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/**
 * One page of the tenant list and the search that selected it.
 *
 * @param tenants at most {@link #PAGE_SIZE} tenants, sorted by slug (empty when the search was
 *     refused)
 * @param q the search text as typed (trimmed), "" for none
 * @param status the status filter, one of {@link #STATUSES}' values or "" for any
 * @param after the slug the page starts after, "" for the first page
 * @param more whether platform-api has tenants after this page
 * @param error why the search was refused (shown in {@code #tenant-search-error}), else {@link FormError#NONE}
 */
public record TenantPage(List<Tenant> tenants, String q, String status, String after, boolean more,
        FormError error) {

    /** The search form of the list ({@code #tenant-search}, its error in {@code #tenant-search-error}). */
    static final String SEARCH = "tenant-search";
    /** Tenants a page of the list shows; platform-api is asked for one more, to know whether there is a next page. */
    static final int PAGE_SIZE = 100;
    /** The longest search text platform-api takes. */
    static final int MAX_QUERY = 100;

    /** A choice of the search form's status select: the value platform-api takes in {@code status=}, and its words. */
    public record StatusChoice(String value, String label) {
    }

    /** The statuses the list can be filtered by, in the select's order (besides "Any"). */
    static final List<StatusChoice> STATUSES = List.of(new StatusChoice("active", "Active"),
            new StatusChoice("suspended", "Suspended"), new StatusChoice("closed", "Closed"));

    /**
     * The page of tenants a search selects: platform-api is asked for one more than a page, which says whether there
     * is a next one without counting them all.
     */
    static TenantPage read(AdminApi api, String q, String status, String after) {
        if (!status.isEmpty() && STATUSES.stream().noneMatch(choice -> choice.value().equals(status))) {
            return new TenantPage(List.of(), q, "", after, false, FormError.of(SEARCH,
                    "Unknown status “" + status + "”: choose any, active, suspended or closed."));
        }
        if (q.codePointCount(0, q.length()) > MAX_QUERY) {
            return new TenantPage(List.of(), q, status, after, false,
                    FormError.of(SEARCH, "Search with at most " + MAX_QUERY + " characters."));
        }
        List<Tenant> found;
        try {
            found = api.tenantPage(status.isEmpty() ? null : status, q.isEmpty() ? null : q,
                    after.isEmpty() ? null : after, PAGE_SIZE + 1);
        } catch (ApiProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            return new TenantPage(List.of(), q, status, after, false, FormError.of(SEARCH, problem));
        }
        boolean more = found.size() > PAGE_SIZE;
        return new TenantPage(more ? found.subList(0, PAGE_SIZE) : found, q, status, after, more, FormError.NONE);
    }

    /** The status choices besides "Any". */
    public List<StatusChoice> statuses() {
        return STATUSES;
    }

    /** Whether the select preselects this choice. */
    public boolean chose(StatusChoice choice) {
        return choice.value().equals(status);
    }

    /** Whether a search text or a status narrows the list. */
    public boolean filtered() {
        return !q.isEmpty() || !status.isEmpty();
    }

    /** The next page (same search, after the last slug shown), or null when this is the last one. */
    public String nextHref() {
        return more && !tenants.isEmpty() ? href(q, status, tenants.get(tenants.size() - 1).slug()) : null;
    }

    /** The first page of the same search, or null when this is it. */
    public String firstHref() {
        return after.isEmpty() ? null : href(q, status, "");
    }

    /**
     * What the page shows, in words: "3 tenants.", "100 tenants shown, more on the next page.", "1 tenant
     * matching “acme”.", "No tenant matching “xyz” with status suspended.", "12 tenants after “acme-99”.".
     */
    public String shown() {
        int n = tenants.size();
        if (n == 0 && !filtered() && after.isEmpty()) {
            return "No tenants yet.";
        }
        StringBuilder line = new StringBuilder(n == 0 ? "No tenant" : n == 1 ? "1 tenant" : n + " tenants");
        if (!q.isEmpty()) {
            line.append(" matching “").append(q).append('”');
        }
        if (!status.isEmpty()) {
            line.append(" with status ").append(status);
        }
        if (!after.isEmpty()) {
            line.append(" after “").append(after).append('”');
        }
        if (more) {
            line.append(" shown, more on the next page");
        }
        return line.append('.').toString();
    }

    /** The table's caption: what it lists. */
    public String caption() {
        return filtered() || !after.isEmpty() ? shown() : "All tenants, by slug";
    }

    /** The console's URL of a page of the list: the search's parameters, each only when set. */
    static String href(String q, String status, String after) {
        UriBuilder uri = UriBuilder.fromPath("/admin/tenants");
        for (String[] param : new String[][] {{"q", q}, {"status", status}, {"after", after}}) {
            if (!param[1].isEmpty()) {
                uri.queryParam(param[0], param[1]);
            }
        }
        return uri.build().toString();
    }
}
