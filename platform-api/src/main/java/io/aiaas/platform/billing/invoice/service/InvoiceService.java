package io.aiaas.platform.billing.invoice.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.BillingConfig;
import io.aiaas.platform.billing.credit.service.CreditService;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.Candidate;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.InvoiceRow;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.LineRow;
import io.aiaas.platform.billing.invoice.service.InvoiceCalculator.Computed;
import io.aiaas.platform.billing.payment.service.Dunning;
import io.aiaas.platform.billing.payment.service.PaymentService;
import io.aiaas.platform.billing.payment.service.PaymentView;
import io.aiaas.platform.billing.profile.service.BillingParty;
import io.aiaas.platform.billing.profile.service.BillingProfileService;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.billing.tax.service.AppliedTax;
import io.aiaas.platform.billing.tax.service.Taxes;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.plan.service.TenantPlans;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Invoices: closing a tenant's period into finalized invoices from the hourly roll-ups, the live preview of the open
 * period, credit notes, and reading them back with the usage rows behind each line. No HTTP in here.
 *
 * <p>Closing is safe with several replicas: each tenant's period is closed in its own transaction that first takes
 * a transaction-scoped advisory lock on (tenant, period), and the partial unique index invoices_one_per_period_uq
 * refuses a second live invoice should two closes ever get past it. One closes, none twice.
 */
@ApplicationScoped
public class InvoiceService {

    private static final Logger LOG = Logger.getLogger(InvoiceService.class);
    /** Time zones end a month at most 14 hours before UTC: before that instant no tenant's period has ended. */
    private static final ZoneId EARLIEST_ZONE = ZoneOffset.ofHours(14);
    /** ... and at most 12 hours after UTC. */
    private static final ZoneId LATEST_ZONE = ZoneOffset.ofHours(-12);
    static final int MAX_LIST = 500;

    /** What closing one tenant's period did. */
    public enum Outcome {
        CREATED, ALREADY_CLOSED, STILL_OPEN, BUSY
    }

    /** The outcome and the invoices created (empty unless CREATED). */
    public record Closed(Outcome outcome, List<InvoiceView> invoices) {
    }

    private final InvoiceRepository repository;
    private final TenantPlans plans;
    private final AuditLog audit;
    private final BillingConfig config;
    private final Clock clock;
    private final CreditService credits;
    private final PaymentService payments;
    private final BillingProfileService profiles;
    private final Dunning dunning;
    private final Taxes taxes;

    InvoiceService(InvoiceRepository repository, TenantPlans plans, AuditLog audit, BillingConfig config,
            CreditService credits, PaymentService payments, BillingProfileService profiles, Dunning dunning,
            Taxes taxes) {
        this.taxes = taxes;
        this.profiles = profiles;
        this.dunning = dunning;
        this.credits = credits;
        this.payments = payments;
        this.repository = repository;
        this.plans = plans;
        this.audit = audit;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    // ---- closing ----------------------------------------------------------------------------------------------

    /**
     * Closes one tenant's period into finalized invoices (drafts when {@code draft}), in a transaction of its own.
     * Does nothing when the period has not ended in the tenant's time zone, already has a live invoice, or is
     * being closed by another transaction right now.
     */
    public Closed close(UUID tenantId, LocalDate period, String actor, boolean draft) {
        LocalDate first = period.withDayOfMonth(1);
        try {
            return QuarkusTransaction.requiringNew().call(() -> closeInTransaction(tenantId, first, actor, draft));
        } catch (RuntimeException e) {
            if (isConflict(e)) {
                // the unique index caught a close that raced past the lock: the other one won
                return new Closed(Outcome.ALREADY_CLOSED, List.of());
            }
            throw e;
        }
    }

    /** Closes one tenant's period into finalized invoices, as the closing job does. */
    public Closed close(UUID tenantId, LocalDate period) {
        return close(tenantId, period, "system", false);
    }

    /**
     * Closes the period for every tenant with usage or a plan in it whose period has ended in its time zone.
     *
     * @throws ApiException 409 {@code period_open} when the period has not ended in any time zone yet
     */
    public CloseReport closePeriod(LocalDate period, String actor, boolean draft) {
        LocalDate first = period.withDayOfMonth(1);
        if (clock.instant().isBefore(BillingPeriods.end(first, EARLIEST_ZONE))) {
            throw ApiException.conflict("period_open", "The period " + BillingPeriods.name(first)
                    + " has not ended yet; it can be closed once it has ended in a tenant's time zone");
        }
        Instant plansBefore = BillingPeriods.end(first, LATEST_ZONE);
        List<String> created = new ArrayList<>();
        // tenants invoiced before are no candidates; those another replica invoices meanwhile are counted below
        int already = repository.tenantsInvoiced(first);
        int open = 0;
        int busy = 0;
        // a tenant closed before the period started in every time zone has no fee in it
        Instant closedAfter = BillingPeriods.start(first, EARLIEST_ZONE);
        for (Candidate candidate : repository.candidates(first, plansBefore, closedAfter)) {
            if (clock.instant().isBefore(BillingPeriods.end(first, zone(candidate.timeZone())))) {
                open++;
                continue;
            }
            Closed closed;
            try {
                closed = close(candidate.tenantId(), first, actor, draft);
            } catch (RuntimeException e) {
                // one tenant's failure must not keep the others from being invoiced; the next run retries it
                LOG.errorf(e, "closing %s for tenant %s failed", BillingPeriods.name(first), candidate.slug());
                busy++;
                continue;
            }
            switch (closed.outcome()) {
                case CREATED -> closed.invoices().forEach(i -> created.add(i.number()));
                case ALREADY_CLOSED -> already++;
                case STILL_OPEN -> open++;
                case BUSY -> busy++;
            }
        }
        return new CloseReport(BillingPeriods.name(first), List.copyOf(created), already, open, busy);
    }

    /** The closing job: the previous period of every tenant whose period has ended, by UTC month and the one before. */
    public List<CloseReport> closeEndedPeriods() {
        LocalDate thisMonth = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1);
        List<CloseReport> reports = new ArrayList<>();
        // zones ahead of UTC end the current UTC month early; zones behind end the previous one late
        for (LocalDate period : List.of(thisMonth.minusMonths(1), thisMonth)) {
            if (!clock.instant().isBefore(BillingPeriods.end(period, EARLIEST_ZONE))) {
                reports.add(closePeriod(period, "system", false));
            }
        }
        return reports;
    }

    private Closed closeInTransaction(UUID tenantId, LocalDate period, String actor, boolean draft) {
        ZoneId zone = plans.zoneOf(tenantId);
        Instant start = BillingPeriods.start(period, zone);
        Instant end = BillingPeriods.end(period, zone);
        if (clock.instant().isBefore(end)) {
            return new Closed(Outcome.STILL_OPEN, List.of());
        }
        if (!repository.tryLockPeriod(tenantId, period)) {
            return new Closed(Outcome.BUSY, List.of());
        }
        if (repository.hasLiveInvoice(tenantId, period)) {
            return new Closed(Outcome.ALREADY_CLOSED, List.of());
        }
        List<Computed> computed = compute(tenantId, period, start, end, end);
        boolean anyPlan = !plans.during(tenantId, start, end).isEmpty();
        boolean usage = computed.stream().anyMatch(c -> c.lines().stream().anyMatch(l -> "usage".equals(l.kind())));
        if (!anyPlan && !usage) {
            // neither on a plan (closed before the period) nor any usage: nothing to invoice
            return new Closed(Outcome.ALREADY_CLOSED, List.of());
        }
        String tenantSlug = repository.slugOf(tenantId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long n = repository.countNumbered(tenantId, period, "INVOICE");
        List<InvoiceView> created = new ArrayList<>();
        BillingParty billTo = profiles.billTo(tenantId);
        // the tax point is the period's last day: the rate in effect then, for where the invoice is addressed
        AppliedTax tax = taxes.decide(tenantId, billTo, period.plusMonths(1).minusDays(1));
        for (Computed computedInvoice : computed) {
            // credit grants are drawn under their row locks: two periods of the tenant closing at once never draw
            // the same credit
            List<CreditService.Draw> draws = credits.draw(tenantId, computedInvoice.currency(),
                    computedInvoice.totalNanos(), start, end, true);
            Computed c = InvoiceCalculator.withTax(InvoiceCalculator.withGrants(computedInvoice, draws), tax);
            n++;
            InvoiceRow row = new InvoiceRow(UUID.randomUUID(), "INV-" + BillingPeriods.name(period) + "-"
                    + tenantSlug + "-" + n, tenantId, tenantSlug, period, "INVOICE", draft ? "DRAFT" : "FINALIZED",
                    c.currency(), c.planId(), start, end, c.usageNanos(), c.feeNanos(), c.creditNanos(),
                    c.adjustmentNanos(), c.totalNanos(), c.totalMinor(), null, null, now, draft ? null : now, null,
                    profiles.write(billTo), profiles.write(profiles.issuer()), c.taxNanos(), taxes.write(c.tax()));
            repository.insert(row, c.lines());
            credits.record(draws, row.id());
            if (!draft) {
                announceFinalized(row, null);
            }
            audit.record(actor, "system".equals(actor) ? ActorKind.SYSTEM : ActorKind.USER, tenantId,
                    draft ? "billing.invoice.drafted" : "billing.invoice.finalized", "invoice", row.id().toString(),
                    Constraints.json("number", row.number(), "period", BillingPeriods.name(period), "currency",
                            row.currency(), "total_nanos", row.totalNanos(), "total_minor", row.totalMinor(),
                            "tax_nanos", row.taxNanos()));
            created.add(withPayment(row, c.lines()));
        }
        return new Closed(Outcome.CREATED, List.copyOf(created));
    }

    /**
     * The invoices of a period as they stand: fee and credit from the plan of highest fee the tenant had in the period
     * up to {@code tiersAt} ({@link InvoiceCalculator#feePlan}), volume tiers from the plan in effect at
     * {@code tiersAt}.
     */
    private List<Computed> compute(UUID tenantId, LocalDate period, Instant start, Instant end, Instant tiersAt) {
        List<ActivePlan> during = plans.during(tenantId, start, tiersAt.isBefore(end) ? tiersAt : end);
        ActivePlan feePlan = InvoiceCalculator.feePlan(during);
        // the plan in effect at tiersAt, or the last one of a tenant closed before it
        ActivePlan endPlan = during.isEmpty() ? null : during.get(during.size() - 1);
        return InvoiceCalculator.compute(repository.usageByModel(tenantId, period),
                model -> repository.periodTotals(tenantId, period, model).orElse(null), feePlan, endPlan,
                config.defaultCurrency());
    }

    // ---- the tenant's view ------------------------------------------------------------------------------------

    /** The open period's invoice as it would be if the period ended now; computed, never stored. */
    @Transactional
    public InvoiceView upcoming(TenantAccess access) {
        ZoneId zone = plans.zoneOf(access.tenantId());
        Instant now = clock.instant();
        LocalDate period = BillingPeriods.periodOf(now, zone);
        Instant start = BillingPeriods.start(period, zone);
        Instant end = BillingPeriods.end(period, zone);
        Computed computed = compute(access.tenantId(), period, start, end, now.plusNanos(1000)).get(0);
        BillingParty billTo = profiles.billTo(access.tenantId());
        Computed c = InvoiceCalculator.withTax(InvoiceCalculator.withGrants(computed, credits.draw(access.tenantId(),
                computed.currency(), computed.totalNanos(), start, end, false)),
                taxes.decide(access.tenantId(), billTo, period.plusMonths(1).minusDays(1)));
        return new InvoiceView(null, null, access.slug(), BillingPeriods.name(period), "INVOICE", "PREVIEW",
                c.currency(), c.planId(), start, end, c.usageNanos(), c.adjustmentNanos(), c.feeNanos(),
                c.creditNanos(), c.totalNanos(), c.totalMinor(), Money.minorDecimal(c.totalMinor(), c.currency()),
                null, null, null, null, null, billTo, profiles.issuer(), null, c.taxNanos(),
                Taxes.view(c.tax(), c.taxNanos(), c.currency()), lines(c.lines(), c.currency()));
    }

    /**
     * The tenant's invoices and credit notes (without lines), newest period first; {@code payment} keeps the finalized
     * invoices in one payment state ({@link PaymentService#FILTERS}).
     */
    @Transactional
    public List<InvoiceView> list(TenantAccess access, String payment) {
        return withPayments(repository.list(access.tenantId(), null, PaymentService.filter(payment),
                payments.overdueBefore(), MAX_LIST));
    }

    /** An invoice of the tenant with its lines; another tenant's invoice is not found. */
    @Transactional
    public InvoiceView get(TenantAccess access, String id) {
        InvoiceRow row = find(access.tenantId(), id);
        return withPayment(row, repository.lines(row.id()));
    }

    /** The invoice as CSV: a header, one record per line, and the total. */
    @Transactional
    public InvoiceCsv csv(TenantAccess access, String id) {
        InvoiceRow row = find(access.tenantId(), id);
        return new InvoiceCsv(row.number() + ".csv", InvoiceCsv.render(withPayment(row, repository.lines(row.id()))));
    }

    // ---- platform admins --------------------------------------------------------------------------------------

    /**
     * Invoices of all tenants (or one, by slug), optionally of one period ({@code YYYY-MM}) and in one payment state
     * ({@link PaymentService#FILTERS}).
     */
    @Transactional
    public List<InvoiceView> adminList(String tenantSlug, String period, String payment) {
        String state = PaymentService.filter(payment);
        UUID tenantId = null;
        if (tenantSlug != null && !tenantSlug.isBlank()) {
            tenantId = repository.tenantIdOf(tenantSlug.trim()).orElseThrow(() -> ApiException.notFound(
                    "tenant_not_found", "No tenant '" + InvoiceIds.shorten(tenantSlug) + "'"));
        }
        LocalDate first = period == null || period.isBlank() ? null : InvoiceIds.period(period);
        return withPayments(repository.list(tenantId, first, state, payments.overdueBefore(), MAX_LIST));
    }

    @Transactional
    public InvoiceView adminGet(String id) {
        InvoiceRow row = find(null, id);
        return withPayment(row, repository.lines(row.id()));
    }

    /** DRAFT to FINALIZED; finalizing a finalized invoice changes nothing. */
    @Transactional
    public InvoiceView finalizeDraft(String id, Caller caller) {
        InvoiceRow row = lock(id);
        if ("VOID".equals(row.state())) {
            throw ApiException.conflict("invoice_void", "Invoice " + row.number() + " is void");
        }
        if ("DRAFT".equals(row.state())) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            repository.finalize(row.id(), now);
            announceFinalized(row, null);
            audit.record(caller.actor(), ActorKind.USER, row.tenantId(), "billing.invoice.finalized", "invoice",
                    row.id().toString(), Constraints.json("number", row.number()));
        }
        return adminGet(id);
    }

    /** DRAFT to VOID; a finalized invoice never changes (correct it with a credit note). */
    @Transactional
    public InvoiceView voidDraft(String id, Caller caller) {
        InvoiceRow row = lock(id);
        if ("FINALIZED".equals(row.state())) {
            throw ApiException.conflict("invoice_finalized", "Invoice " + row.number()
                    + " is finalized and never changes; correct it with a credit note");
        }
        if ("DRAFT".equals(row.state())) {
            repository.voidDraft(row.id(), clock.instant().truncatedTo(ChronoUnit.MICROS));
            audit.record(caller.actor(), ActorKind.USER, row.tenantId(), "billing.invoice.voided", "invoice",
                    row.id().toString(), Constraints.json("number", row.number()));
        }
        return adminGet(id);
    }

    /**
     * A credit note correcting a finalized invoice, finalized at once. The credit notes of an invoice together never
     * exceed its total. One that settles what suspended a tenant for not paying resumes it.
     */
    @Transactional
    public InvoiceView creditNote(String id, CreditNoteRequest request, Caller caller) {
        InvoiceRow invoice = lock(id);
        if (!"INVOICE".equals(invoice.kind()) || !"FINALIZED".equals(invoice.state())) {
            throw ApiException.conflict("invoice_not_finalized", "Only a finalized invoice can be corrected by a"
                    + " credit note; " + invoice.number() + " is a " + invoice.state().toLowerCase() + " "
                    + invoice.kind().toLowerCase().replace('_', ' '));
        }
        long amount;
        try {
            amount = Math.multiplyExact(request.amountMicros(), 1000L);
        } catch (ArithmeticException e) {
            throw invalid("amount_micros is too large");
        }
        long left = invoice.totalNanos() + repository.creditedNanos(invoice.id());
        if (amount > left) {
            throw ApiException.conflict("credit_exceeds_invoice", "At most " + Money.exactDecimal(Math.max(0, left),
                    invoice.currency()) + " " + invoice.currency() + " of " + invoice.number()
                    + " is left to credit");
        }
        long n = repository.countCreditNotes(invoice.id()) + 1;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String reason = request.reason().trim();
        // the amount credited includes the invoice's tax at its rate: the tax within it is credited on a line of its own
        AppliedTax tax = taxes.read(invoice.tax());
        long taxPart = tax == null ? 0 : tax.within(amount, Money.fractionDigits(invoice.currency()));
        List<LineRow> lines = new ArrayList<>(List.of(new LineRow(1, "correction", null, null, 0, taxPart - amount,
                "Credit for " + invoice.number() + ": " + reason)));
        if (tax != null && tax.charged()) {
            lines.add(new LineRow(2, "tax", null, null, 0, -taxPart, tax.label()));
        }
        InvoiceRow note = new InvoiceRow(UUID.randomUUID(), "CN" + invoice.number().substring(3) + "-" + n,
                invoice.tenantId(), invoice.tenantSlug(), invoice.billingPeriod(), "CREDIT_NOTE", "FINALIZED",
                invoice.currency(), invoice.planId(), invoice.periodStart(), invoice.periodEnd(), 0, 0, 0,
                taxPart - amount, -amount, Money.toMinorUnits(-amount, invoice.currency()), invoice.id(), reason, now,
                now, null, profiles.write(profiles.billTo(invoice.tenantId())), profiles.write(profiles.issuer()),
                -taxPart, invoice.tax());
        repository.insert(note, lines);
        announceFinalized(note, invoice.number());
        audit.record(caller.actor(), ActorKind.USER, invoice.tenantId(), "billing.credit_note.created", "invoice",
                note.id().toString(), Constraints.json("number", note.number(), "corrects", invoice.number(),
                        "amount_nanos", amount, "reason", reason));
        dunning.resumeIfSettled(invoice);
        return view(note, lines, null);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private InvoiceRow find(UUID tenantId, String id) {
        return InvoiceIds.parse(id).flatMap(uuid -> repository.find(tenantId, uuid))
                .orElseThrow(() -> InvoiceIds.notFound(id));
    }

    private InvoiceRow lock(String id) {
        return InvoiceIds.parse(id).flatMap(repository::lock).orElseThrow(() -> InvoiceIds.notFound(id));
    }

    /**
     * Tells the tenant's webhook, if it has one, that an invoice or credit note is final ({@code invoice.finalized}),
     * in the same transaction: no event for an invoice that was rolled back, none lost for one that committed.
     */
    private void announceFinalized(InvoiceRow row, String corrects) {
        ObjectNode data = WebhookOutbox.data();
        data.put("invoice_id", row.id().toString());
        data.put("number", row.number());
        data.put("kind", row.kind().toLowerCase(Locale.ROOT));
        if (corrects != null) {
            data.put("corrects", corrects);
        }
        data.put("period", BillingPeriods.name(row.billingPeriod()));
        data.put("currency", row.currency());
        data.put("total", Money.minorDecimal(row.totalMinor(), row.currency()));
        data.put("total_minor", row.totalMinor());
        data.put("total_nanos", row.totalNanos());
        data.put("tax_nanos", row.taxNanos());
        data.put("url", "/api/v1/tenants/" + row.tenantSlug() + "/invoices/" + row.id());
        data.put("pdf_url", "/api/v1/tenants/" + row.tenantSlug() + "/invoices/" + row.id() + ".pdf");
        repository.queueWebhook(row.tenantId(), row.tenantSlug(), WebhookOutbox.INVOICE_FINALIZED,
                clock.instant().truncatedTo(ChronoUnit.MICROS), data);
    }

    private List<InvoiceView> withPayments(List<InvoiceRow> rows) {
        Map<UUID, PaymentView> paid = payments.of(rows);
        return rows.stream().map(r -> view(r, null, paid.get(r.id()))).toList();
    }

    private InvoiceView withPayment(InvoiceRow row, List<LineRow> lines) {
        return view(row, lines, payments.of(List.of(row)).get(row.id()));
    }

    InvoiceView view(InvoiceRow r, List<LineRow> lines, PaymentView payment) {
        return new InvoiceView(r.id(), r.number(), r.tenantSlug(), BillingPeriods.name(r.billingPeriod()), r.kind(),
                r.state(), r.currency(), r.planId(), r.periodStart(), r.periodEnd(), r.usageNanos(),
                r.adjustmentNanos(), r.feeNanos(), r.creditNanos(), r.totalNanos(), r.totalMinor(),
                Money.minorDecimal(r.totalMinor(), r.currency()), r.correctsId(), r.reason(), r.createdAt(),
                r.finalizedAt(), r.voidedAt(), profiles.read(r.billTo()), profiles.read(r.issuer()), payment,
                r.taxNanos(), Taxes.view(taxes.read(r.tax()), r.taxNanos(), r.currency()),
                lines == null ? null : lines(lines, r.currency()));
    }

    private static List<InvoiceLineView> lines(List<LineRow> lines, String currency) {
        return lines.stream().map(l -> new InvoiceLineView(l.lineNo(), l.kind(), l.modelName(), l.component(),
                l.quantity(), l.amountNanos(), Money.exactDecimal(l.amountNanos(), currency), l.description()))
                .toList();
    }

    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api && api.status() == 409) {
                return true;
            }
            if (Constraints.isUniqueViolation(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static ZoneId zone(String name) {
        try {
            return name == null ? ZoneOffset.UTC : ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid_parameter", detail);
    }
}
