package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.CloseReport;
import io.aiaas.console.api.admin.Receivables;
import io.aiaas.console.api.admin.UsageRetention;
import io.aiaas.console.api.tenant.Invoice;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Parallel;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The admin billing page: what tenants owe per currency (the receivables of the period filtered by, else of all), the
 * invoices and credit notes of all tenants (filtered by tenant, period or payment state, each with its payment state)
 * with the form that closes a period, and how long platform-api keeps raw usage rows. One invoice's page, with its
 * actions, is {@link AdminInvoiceResource}. Platform admins only; platform-api enforces it too and decides every rule
 * (which period may be closed); its refusals are shown beside the form.
 */
@Path("/admin/billing")
@Produces(MediaType.TEXT_HTML)
public class AdminBillingResource {

    static final String FILTER = "billing-filter";
    static final String CLOSE = "close-period";
    /** platform-api answers at most this many invoices: a full page says that older ones need a filter. */
    static final int LIST_LIMIT = 500;
    /** At most this many numbers of created invoices travel in the redirect after closing (all are in the list). */
    static final int REPORT_NUMBERS = 20;
    /** The usage-retention section names at most this many removed months, the newest; the rest as a count. */
    static final int RETENTION_MONTHS_SHOWN = 12;

    private static final Pattern PERIOD = Pattern.compile("[0-9]{4}-[0-9]{2}");
    /** An invoice number as platform-api makes them (INV-2026-10-acme-1): anything else in the URL is dropped. */
    private static final Pattern NUMBER = Pattern.compile("[A-Za-z0-9._-]{1,80}");
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Page page);
    }

    /**
     * The payment states the list is filtered by, in the select's order, each as platform-api names it in
     * {@code payment=}; with one, platform-api lists finalized invoices only (no drafts, void invoices or credit notes).
     */
    public enum PaymentFilter {
        UNPAID("unpaid", "unpaid (open, partially paid or overdue)", "Unpaid invoices"),
        OVERDUE("overdue", "overdue", "Overdue invoices"),
        OPEN("open", "open (nothing paid, not yet due)", "Open invoices"),
        PARTIALLY_PAID("partially_paid", "partially paid (not yet due)", "Partially paid invoices"),
        REFUND_DUE("refund_due", "refund due (paid more than it asks)", "Invoices with a refund due"),
        PAID("paid", "paid", "Paid invoices"),
        NOTHING_DUE("nothing_due", "nothing due", "Invoices with nothing due");

        private final String value;
        private final String label;
        private final String heading;

        PaymentFilter(String value, String label, String heading) {
            this.value = value;
            this.label = label;
            this.heading = heading;
        }

        /** The filter a console URL names, or null (any) for none: a value platform-api does not take is dropped. */
        static PaymentFilter parse(String typed) {
            for (PaymentFilter filter : values()) {
                if (filter.value.equals(typed)) {
                    return filter;
                }
            }
            return null;
        }

        /** The value of {@code payment=}, in the console's URL and in platform-api's. */
        public String value() {
            return value;
        }

        /** The select's words for it. */
        public String label() {
            return label;
        }

        /** What the list then shows: "Overdue invoices". */
        public String heading() {
            return heading;
        }
    }

    /**
     * The list page.
     *
     * @param invoices the invoices as platform-api lists them (empty when the filter was refused)
     * @param tenant the tenant filter as typed, "" for all
     * @param period the period filter as typed, "" for all
     * @param payment the payment filter, null for any
     * @param closePeriod the close form's period: as typed after a refusal, else last month in UTC
     * @param drafts whether the close form's "create drafts" is ticked
     * @param report what the last close did (from the redirect), else null
     * @param receivables the receivables card: of the period filtered by, else of all periods; every tenant's
     * @param retention the usage-retention section
     */
    public record Page(List<Invoice> invoices, String tenant, String period, PaymentFilter payment,
            String closePeriod, boolean drafts, Report report, FormError error, ReceivablesCard receivables,
            RetentionCard retention) {

        public boolean filtered() {
            return !tenant.isEmpty() || !period.isEmpty() || payment != null;
        }

        /** The payment filter's choices besides "any". */
        public List<PaymentFilter> payments() {
            return List.of(PaymentFilter.values());
        }

        /** Whether the select preselects this choice. */
        public boolean chose(PaymentFilter choice) {
            return payment == choice;
        }

        /** What the table lists: "Invoices and credit notes", or "Overdue invoices", then " of acme", " for 2026-10". */
        public String heading() {
            return (payment == null ? "Invoices and credit notes" : payment.heading())
                    + (tenant.isEmpty() ? "" : " of " + tenant) + (period.isEmpty() ? "" : " for " + period);
        }

        /** The empty list under a payment filter in words: "No overdue invoices of acme for 2026-10." */
        public String noneInState() {
            String heading = heading();
            return "No " + heading.substring(0, 1).toLowerCase(Locale.ROOT) + heading.substring(1) + ".";
        }

        /** Whether platform-api's list was cut at its limit. */
        public boolean capped() {
            return invoices.size() >= LIST_LIMIT;
        }
    }

    /**
     * The receivables card: what tenants owe per currency over the finalized invoices of the period the list is
     * filtered by, or of all periods; the tenant filter does not apply (platform-api sums every tenant's).
     *
     * @param period the period asked for, "" for all
     * @param currencies one entry per currency with finalized invoices (none when nothing was invoiced or on error)
     * @param error why the receivables could not be read, else null
     */
    public record ReceivablesCard(String period, List<Receivables.Figures> currencies, String error) {

        /** "Receivables, 2026-10" or "Receivables, all periods". */
        public String heading() {
            return "Receivables, " + (period.isEmpty() ? "all periods" : period);
        }

        /** The overdue invoices behind the overdue figure: of every tenant, of the card's period when it has one. */
        public String overdueHref() {
            return href(PaymentFilter.OVERDUE);
        }

        /** The invoices behind the refund-due figure: of every tenant, of the card's period when it has one. */
        public String refundDueHref() {
            return href(PaymentFilter.REFUND_DUE);
        }

        private String href(PaymentFilter filter) {
            UriBuilder uri = UriBuilder.fromPath("/admin/billing").queryParam("payment", filter.value());
            if (!period.isEmpty()) {
                uri.queryParam("period", period);
            }
            return uri.build().toString();
        }

        /** A count of invoices in words: "1 invoice", "2 invoices". */
        public String invoices(long count) {
            return count + (count == 1 ? " invoice" : " invoices");
        }
    }

    /**
     * The usage-retention section: how many whole months of raw usage rows platform-api keeps and which months it
     * removed, whose invoice lines can no longer be drilled down to their calls.
     *
     * @param months {@code aiaas.usage.retention-months}, 0 for ever (months removed under an earlier setting still
     *        show)
     * @param keptFrom the first instant whose raw rows are all kept, null when none were removed
     * @param expired the months removed ({@code YYYY-MM}), newest first
     * @param error why the retention could not be read, else null
     */
    public record RetentionCard(int months, Instant keptFrom, List<String> expired, String error) {

        static RetentionCard of(UsageRetention retention) {
            return new RetentionCard(retention.retentionMonths(), retention.keptFrom(), retention.expiredMonths(),
                    null);
        }

        static RetentionCard unread(String error) {
            return new RetentionCard(0, null, List.of(), error);
        }

        /** Whether raw usage rows are kept for ever. */
        public boolean forEver() {
            return months == 0;
        }

        /** The setting in words: "13 months", "1 month". */
        public String monthsWords() {
            return months + (months == 1 ? " month" : " months");
        }

        /** The day rows are kept from: platform-api removes whole months of UTC, so it is a UTC day. */
        public LocalDate keptFromDay() {
            return keptFrom == null ? null : LocalDate.ofInstant(keptFrom, ZoneOffset.UTC);
        }

        /** The removed months the section names: the {@value #RETENTION_MONTHS_SHOWN} newest. */
        public List<String> shown() {
            return expired.subList(0, Math.min(RETENTION_MONTHS_SHOWN, expired.size()));
        }

        /** How many removed months the section does not name. */
        public int more() {
            return expired.size() - shown().size();
        }
    }

    /**
     * What closing a period did, as the redirect after it carries it.
     *
     * @param created how many invoices were created
     * @param numbers the numbers of the first {@value #REPORT_NUMBERS} of them
     * @param drafts whether they were created as drafts
     */
    public record Report(String period, int created, List<String> numbers, int alreadyClosed, int stillOpen,
            int busy, boolean drafts) {

        /** "No invoice created", "1 invoice created", "2 invoices created". */
        public String createdWords() {
            return created == 0 ? "No invoice created" : created + (created == 1 ? " invoice" : " invoices")
                    + " created";
        }

        /** How many created invoices the report does not name. */
        public int more() {
            return Math.max(0, created - numbers.size());
        }

        /** The report of platform-api's answer, as the redirect's query carries it. */
        static URI redirect(CloseReport report, String typed, boolean drafts) {
            List<String> numbers = report.created();
            String period = report.period() == null ? typed : report.period();
            UriBuilder uri = UriBuilder.fromPath("/admin/billing").queryParam("period", period)
                    .queryParam("closed", period)
                    .queryParam("created", numbers.size());
            if (!numbers.isEmpty()) {
                uri.queryParam("numbers", String.join(",", numbers.subList(0, Math.min(REPORT_NUMBERS,
                        numbers.size()))));
            }
            uri.queryParam("already_closed", report.alreadyClosed()).queryParam("still_open", report.stillOpen())
                    .queryParam("busy", report.busy());
            if (drafts) {
                uri.queryParam("drafts", "true");
            }
            return uri.build();
        }

        /** The report from the redirect's query, or null when there is none or it is not one the console made. */
        static Report parse(String closed, String created, String numbers, String alreadyClosed, String stillOpen,
                String busy, String drafts) {
            if (closed == null || !PERIOD.matcher(closed).matches()) {
                return null;
            }
            List<String> named = new ArrayList<>();
            if (numbers != null && !numbers.isEmpty()) {
                for (String number : numbers.split(",", -1)) {
                    if (!NUMBER.matcher(number).matches() || named.size() == REPORT_NUMBERS) {
                        return null;
                    }
                    named.add(number);
                }
            }
            int count = count(created);
            int already = count(alreadyClosed);
            int open = count(stillOpen);
            int failed = count(busy);
            if (count < named.size() || already < 0 || open < 0 || failed < 0) {
                return null;
            }
            return new Report(closed, count, List.copyOf(named), already, open, failed, "true".equals(drafts));
        }

        private static int count(String text) {
            try {
                return text == null ? -1 : Integer.parseInt(text);
            } catch (NumberFormatException notACount) {
                return -1;
            }
        }
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final Parallel parallel;

    AdminBillingResource(CurrentUser user, @RestClient AdminApi api, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.parallel = parallel;
    }

    /**
     * The invoices of all tenants, or of one tenant, one period or one payment state (any combination); after a close,
     * what it did.
     */
    @GET
    public Response list(@RestQuery String tenant, @RestQuery String period, @RestQuery String payment,
            @RestQuery String closed,
            @RestQuery String created, @RestQuery String numbers, @RestQuery("already_closed") String alreadyClosed,
            @RestQuery("still_open") String stillOpen, @RestQuery String busy, @RestQuery String drafts) {
        user.requirePlatformAdmin();
        Report report = Report.parse(closed, created, numbers, alreadyClosed, stillOpen, busy, drafts);
        return listPage(trim(tenant), trim(period), PaymentFilter.parse(trim(payment)), lastMonth(), false, report,
                FormError.NONE);
    }

    /**
     * Closes a period for every tenant whose period has ended: finalized invoices, or drafts when {@code draft} is
     * ticked. The redirect shows the period's invoices with what the close did.
     */
    @POST
    @Path("close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@RestForm String period, @RestForm String draft) {
        user.requirePlatformAdmin();
        String month = trim(period);
        boolean drafts = "true".equals(draft);
        try {
            CloseReport report = api.closePeriod(month, drafts ? "true" : null);
            return Response.seeOther(Report.redirect(report, month, drafts)).build();
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            return listPage("", "", null, month, drafts, null, FormError.of(CLOSE, problem));
        }
    }

    /**
     * The list page with the invoices the filter selects; a filter platform-api refuses (a period that is not
     * YYYY-MM, an unknown tenant) is shown beside it, with no invoices. The receivables and the retention are asked at
     * the same time as the invoices: the page waits for the slowest, not their sum.
     */
    private Response listPage(String tenant, String period, PaymentFilter payment, String closePeriod,
            boolean drafts, Report report, FormError error) {
        var receivables = parallel.start(() -> receivables(period));
        var retention = parallel.start(this::retention);
        List<Invoice> invoices;
        FormError shown = error;
        try {
            invoices = api.invoices(tenant.isEmpty() ? null : tenant, period.isEmpty() ? null : period,
                    payment == null ? null : payment.value());
        } catch (ApiProblem problem) {
            if (problem.status() != 400 && problem.status() != 404) {
                throw problem;
            }
            invoices = List.of();
            if (!error.any()) {
                shown = FormError.of(FILTER, problem);
            }
        }
        return shown.page(Templates.list(new Page(invoices, tenant, period, payment, closePeriod, drafts, report,
                shown, receivables.get(), retention.get())));
    }

    /**
     * The receivables of a period ("" for all periods), or why they could not be read: a part of the list page, so any
     * refusal or failure is said in the card and the invoices are still shown (an expired session is thrown on).
     */
    private ReceivablesCard receivables(String period) {
        try {
            Receivables owed = api.receivables(period.isEmpty() ? null : period);
            return new ReceivablesCard(period, owed.currencies(), null);
        } catch (ApiProblem problem) {
            return new ReceivablesCard(period, List.of(), problem.shownInstead());
        }
    }

    /**
     * The retention of raw usage rows, or why it could not be read: a part of the list page, said in its section while
     * the rest shows (an expired session is thrown on).
     */
    private RetentionCard retention() {
        try {
            return RetentionCard.of(api.usageRetention());
        } catch (ApiProblem problem) {
            return RetentionCard.unread(problem.shownInstead());
        }
    }

    /** Whether a problem goes to the error pages rather than beside a form: an expired session, a failed API. */
    private static boolean escapes(ApiProblem problem) {
        return problem.status() == 401 || problem.status() >= 500;
    }

    /** The period the close form offers: last month in UTC, the one the closing job closes first. */
    static String lastMonth() {
        return YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
