package io.aiaas.platform.billing.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository;
import io.aiaas.platform.billing.invoice.service.CreditNoteRequest;
import io.aiaas.platform.billing.invoice.service.InvoiceLineView;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceService.Closed;
import io.aiaas.platform.billing.invoice.service.InvoiceService.Outcome;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class InvoiceServiceTest {

    static final Caller ADMIN = new Caller("admin-sub", "admin@aiaas.test", true, "admin", true);
    /** Model b's requests cost 2,000 nanos each up to 2 per period and 1,000 beyond, priced by volume. */
    static final String PRO = """
            {"name": "%s", "currency": "USD", "monthly_fee_micros": 10000000, "included_credit_micros": 1,
             "prices": [
               {"model": "b", "per_1k_requests": {"tiering": "volume",
                 "tiers": [{"up_to": 2, "unit_micros": 2000}, {"unit_micros": 1000}]}},
               {"per_1k_requests": {"tiers": [{"unit_micros": 1000}]},
                "per_1k_items": {"tiers": [{"unit_micros": 500}]},
                "per_compute_second": {"tiers": [{"unit_micros": 3000}]}}]}""";

    @Inject
    InvoiceService invoices;

    @Inject
    BilledUsage usage;

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    @Inject
    InvoiceRepository repository;

    UUID proPlan() {
        String name = "Pro-" + UUID.randomUUID().toString().substring(0, 8);
        return usage.plan(name, "USD", PRO.formatted(name));
    }

    static Instant in(LocalDate period, int day, int hour) {
        return period.withDayOfMonth(day).atTime(hour, 17).toInstant(ZoneOffset.UTC);
    }

    @Test
    void closingBuildsFeeUsageVolumeAdjustmentAndCreditLinesThatAddUp() {
        LocalDate period = LocalDate.of(2025, 1, 1);
        Fixtures.Tenant tenant = fixtures.tenant();
        UUID plan = proPlan();
        usage.assign(tenant.id(), plan, Instant.parse("2024-12-01T00:00:00Z"));
        UUID key = UUID.randomUUID();
        // model a: 2 calls priced flat (1,000 per request, 500 per item, compute 3 nanos per microsecond)
        usage.call(tenant.id()).model("a").key(key).at(in(period, 3, 10)).items(4).computeUs(1500).plan(plan)
                .cost("USD", 1000, 2000, 4500).insert();
        usage.call(tenant.id()).model("a").key(key).at(in(period, 31, 23)).items(2).computeUs(333).plan(plan)
                .cost("USD", 1000, 1000, 999).insert();
        // model b: 3 calls priced by the volume reached so far: 2,000 + 2,000 + 1,000; the period's 3 are all at 1,000
        for (int day = 5; day <= 7; day++) {
            usage.call(tenant.id()).model("b").at(in(period, day, 1)).items(0).computeUs(0).plan(plan)
                    .cost("USD", day == 7 ? 1000 : 2000, 0, 0).insert();
        }
        // not billable: an error and a refusal
        usage.call(tenant.id()).model("a").status(500).at(in(period, 8, 8)).plan(plan).cost("USD", 1000, 0, 0).insert();
        usage.call(tenant.id()).model("a").status(429).at(in(period, 8, 9)).plan(plan).cost("USD", 1000, 0, 0).insert();

        Closed closed = invoices.close(tenant.id(), period);

        assertEquals(Outcome.CREATED, closed.outcome());
        InvoiceView invoice = closed.invoices().get(0);
        assertEquals("INV-2025-01-" + tenant.slug() + "-1", invoice.number());
        assertEquals("FINALIZED", invoice.state());
        assertEquals("USD", invoice.currency());
        List<String> lines = invoice.lines().stream().map(l -> l.lineNo() + " " + l.kind() + " " + l.model() + " "
                + l.component() + " " + l.quantity() + " " + l.amountNanos()).toList();
        assertEquals(List.of(
                "1 fee null null 1 10000000000",
                "2 usage a requests 2 2000",
                "3 usage a items 6 3000",
                "4 usage a compute 1833 5499",
                "5 usage b requests 3 5000",
                "6 adjustment b requests 3 -2000",
                "7 credit null null 0 -1000"), lines);
        // the usage lines add up to the rows' costs exactly
        long rowCosts = db.count("SELECT sum(cost_nanos) FROM usage_records WHERE tenant_id = ? AND billing_period = ?",
                tenant.id(), period);
        assertEquals(rowCosts, invoice.lines().stream().filter(l -> l.kind().equals("usage"))
                .mapToLong(InvoiceLineView::amountNanos).sum());
        assertEquals(rowCosts, invoice.usageNanos());
        assertEquals(invoice.lines().stream().mapToLong(InvoiceLineView::amountNanos).sum(), invoice.totalNanos());
        assertEquals(10_000_000_000L + 15_499 - 2000 - 1000, invoice.totalNanos());
        assertEquals(1000, invoice.totalMinor());
        assertEquals("10.00", invoice.total());
        assertEquals(1, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ?", tenant.id()));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                + " 'billing.invoice.finalized' AND target_id = ?", tenant.id(), invoice.id().toString()));

        // closing again creates nothing new
        assertEquals(Outcome.ALREADY_CLOSED, invoices.close(tenant.id(), period).outcome());
        assertEquals(1, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ?", tenant.id()));
    }

    @Test
    void twoConcurrentClosesMakeExactlyOneInvoicePerTenant() throws Exception {
        LocalDate period = LocalDate.of(2025, 2, 1);
        List<UUID> tenants = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID tenant = fixtures.tenant().id();
            tenants.add(tenant);
            usage.call(tenant).model("a").at(in(period, 10 + i, 12)).cost("EUR", 1000, 0, 0).insert();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<Object>> closes = List.of(
                    () -> { start.await(); return invoices.closePeriod(period, "a", false); },
                    () -> { start.await(); return invoices.closePeriod(period, "b", false); },
                    () -> { start.await(); return invoices.close(tenants.get(0), period); },
                    () -> { start.await(); return invoices.close(tenants.get(3), period); });
            List<Future<Object>> futures = new ArrayList<>();
            closes.forEach(c -> futures.add(pool.submit(c)));
            start.countDown();
            for (Future<Object> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // a tenant skipped as busy by one call was closed by the other; a later run finds nothing left
        invoices.closePeriod(period, "c", false);
        for (UUID tenant : tenants) {
            assertEquals(1, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ? AND billing_period = ?",
                    tenant, period), "invoices of tenant " + tenant);
            assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action LIKE 'billing.%'",
                    tenant));
        }
        assertTrue(invoices.closePeriod(period, "d", false).created().isEmpty());
    }

    @Test
    void onlyADraftCanBeVoidedAndAFinalizedInvoiceIsCorrectedByCreditNotes() {
        LocalDate period = LocalDate.of(2025, 3, 1);
        Fixtures.Tenant tenant = fixtures.tenant();
        UUID plan = proPlan();
        usage.assign(tenant.id(), plan, Instant.parse("2025-03-10T00:00:00Z"));
        usage.call(tenant.id()).model("a").at(in(period, 12, 12)).plan(plan).cost("USD", 1000, 0, 0).insert();

        InvoiceView draft = invoices.close(tenant.id(), period, "admin@aiaas.test", true).invoices().get(0);
        assertEquals("DRAFT", draft.state());
        // a plan taken during the period: its fee applies
        assertEquals(10_000_000_000L, draft.feeNanos());
        InvoiceView voided = invoices.voidDraft(draft.id().toString(), ADMIN);
        assertEquals("VOID", voided.state());

        InvoiceView second = invoices.close(tenant.id(), period).invoices().get(0);
        assertEquals("INV-2025-03-" + tenant.slug() + "-2", second.number());
        assertEquals("FINALIZED", second.state());
        ApiException refused = assertThrows(ApiException.class, () -> invoices.voidDraft(second.id().toString(), ADMIN));
        assertEquals(409, refused.status());
        assertEquals("invoice_finalized", refused.code());
        assertEquals("FINALIZED", db.value("SELECT state FROM invoices WHERE id = ?", second.id()));

        InvoiceView note = invoices.creditNote(second.id().toString(), new CreditNoteRequest(4_000_000L, "goodwill"),
                ADMIN);
        assertEquals("CN-2025-03-" + tenant.slug() + "-2-1", note.number());
        assertEquals("CREDIT_NOTE", note.kind());
        assertEquals("FINALIZED", note.state());
        assertEquals(second.id(), note.correctsId());
        assertEquals(-4_000_000_000L, note.totalNanos());
        assertEquals(-400, note.totalMinor());
        // the credit notes of an invoice never exceed its total (10.00 fee + 0.000001 usage - 0.000001 credit)
        ApiException tooMuch = assertThrows(ApiException.class, () -> invoices.creditNote(second.id().toString(),
                new CreditNoteRequest(6_000_001L, "again"), ADMIN));
        assertEquals("credit_exceeds_invoice", tooMuch.code());
        ApiException onVoid = assertThrows(ApiException.class, () -> invoices.creditNote(draft.id().toString(),
                new CreditNoteRequest(1L, "void"), ADMIN));
        assertEquals("invoice_not_finalized", onVoid.code());
        assertEquals(2, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ? AND kind = 'INVOICE'",
                tenant.id()));
        assertEquals(1, db.count("SELECT count(*) FROM invoices WHERE corrects_id = ?", second.id()));
        // the finalized invoice itself never changed
        assertEquals(second.totalNanos(), db.count("SELECT total_nanos FROM invoices WHERE id = ?", second.id()));
    }

    @Test
    void thePeriodCarriesTheFeeAndCreditOfTheBiggestPlanTheTenantHadInIt() {
        LocalDate period = LocalDate.of(2025, 5, 1);
        Fixtures.Tenant tenant = fixtures.tenant();
        UUID small = feePlan("USD", 2_000_000, 1_000);
        UUID big = feePlan("USD", 25_000_000, 3_000_000);
        UUID otherCurrency = feePlan("EUR", 99_000_000, 0);
        UUID free = feePlan("USD", 0, 0);
        UUID biggest = feePlan("USD", 50_000_000, 0);
        usage.assign(tenant.id(), small, Instant.parse("2025-04-20T00:00:00Z")); // the plan at the first instant
        usage.assign(tenant.id(), big, in(period, 10, 0)); // upgraded within the period
        usage.assign(tenant.id(), otherCurrency, in(period, 15, 0)); // another currency: no fee of its own here
        usage.assign(tenant.id(), free, in(period, 20, 0)); // moved down: the period keeps the bigger fee
        usage.assign(tenant.id(), biggest, Instant.parse("2025-06-01T00:00:00Z")); // the next period's
        usage.call(tenant.id()).model("a").at(in(period, 12, 12)).plan(big).cost("USD", 1000, 0, 0).insert();

        InvoiceView invoice = invoices.close(tenant.id(), period).invoices().get(0);

        assertEquals("USD", invoice.currency());
        assertEquals(big, invoice.planId());
        assertEquals(25_000_000_000L, invoice.feeNanos());
        assertEquals(-1000, invoice.creditNanos(), "the big plan's credit, up to the usage");
        assertTrue(invoice.lines().get(0).description().endsWith(name(big)), invoice.lines().get(0).description());

        // with no change within the period, the plan at its first instant, as always
        Fixtures.Tenant steady = fixtures.tenant();
        usage.assign(steady.id(), big, Instant.parse("2025-04-20T00:00:00Z"));
        usage.assign(steady.id(), small, Instant.parse("2025-06-01T00:00:00Z"));
        assertEquals(25_000_000_000L, invoices.close(steady.id(), period).invoices().get(0).feeNanos());
    }

    @Test
    void aClosedTenantPaysThePeriodItClosedInAndNoFeeAfter() {
        Fixtures.Tenant tenant = fixtures.tenant();
        UUID plan = feePlan("USD", 7_000_000, 0);
        usage.assign(tenant.id(), plan, Instant.parse("2025-06-20T00:00:00Z"));
        // a change scheduled before closing was possible: closing cancels those, and one left over never applies
        usage.assign(tenant.id(), feePlan("USD", 90_000_000, 0), Instant.parse("2025-09-01T00:00:00Z"));
        usage.call(tenant.id()).model("a").at(in(LocalDate.of(2025, 7, 1), 5, 12)).plan(plan).cost("USD", 1000, 0, 0)
                .insert();
        db.update("UPDATE tenants SET status = 'CLOSED', closed_at = '2025-07-18T09:00:00Z' WHERE id = ?",
                tenant.id());
        // a call that was under way as it closed, counted in the next period: invoiced, without a fee
        usage.call(tenant.id()).model("a").at(Instant.parse("2025-08-01T00:00:00Z")).cost("USD", 500, 0, 0).insert();

        InvoiceView july = invoices.close(tenant.id(), LocalDate.of(2025, 7, 1)).invoices().get(0);
        assertEquals(7_000_000_000L, july.feeNanos(), "the whole month's fee: no proration, as for any plan");
        assertEquals(7_000_001_000L, july.totalNanos());
        InvoiceView august = invoices.close(tenant.id(), LocalDate.of(2025, 8, 1)).invoices().get(0);
        assertEquals(0, august.feeNanos());
        assertNull(august.planId());
        assertEquals(500, august.totalNanos());
        assertTrue(invoices.close(tenant.id(), LocalDate.of(2025, 9, 1)).invoices().isEmpty());
        assertEquals(2, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ?", tenant.id()));

        // the closing job's candidates (tenants not invoiced yet): none after it closed, but for usage
        db.update("UPDATE invoices SET state = 'VOID' WHERE tenant_id = ?", tenant.id());
        assertTrue(candidates(LocalDate.of(2025, 7, 1)).contains(tenant.id()));
        assertTrue(candidates(LocalDate.of(2025, 8, 1)).contains(tenant.id()), "its usage is still to invoice");
        assertTrue(!candidates(LocalDate.of(2025, 9, 1)).contains(tenant.id()));
    }

    List<UUID> candidates(LocalDate period) {
        Instant plansBefore = period.plusMonths(1).atStartOfDay(ZoneOffset.ofHours(-12)).toInstant();
        Instant closedAfter = period.atStartOfDay(ZoneOffset.ofHours(14)).toInstant();
        return repository.candidates(period, plansBefore, closedAfter).stream().map(c -> c.tenantId()).toList();
    }

    /** A plan with the given currency, fee and included credit and no prices; its id. */
    UUID feePlan(String currency, long feeMicros, long creditMicros) {
        String name = "Fee-" + UUID.randomUUID().toString().substring(0, 8);
        return usage.plan(name, currency, """
                {"name": "%s", "currency": "%s", "monthly_fee_micros": %d, "included_credit_micros": %d,
                 "prices": []}"""
                .formatted(name, currency, feeMicros, creditMicros));
    }

    String name(UUID plan) {
        return (String) db.value("SELECT name FROM plans WHERE id = ?", plan);
    }

    @Test
    void aPeriodThatHasNotEndedIsNotClosed() {
        LocalDate next = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1);
        Fixtures.Tenant tenant = fixtures.tenant();
        usage.assign(tenant.id(), proPlan(), Instant.parse("2025-01-01T00:00:00Z"));

        assertEquals(Outcome.STILL_OPEN, invoices.close(tenant.id(), next).outcome());
        ApiException open = assertThrows(ApiException.class, () -> invoices.closePeriod(next, "admin", false));
        assertEquals(409, open.status());
        assertEquals("period_open", open.code());
        assertEquals(0, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ?", tenant.id()));
    }

    @Test
    void theClosingJobInvoicesLastMonthOnce() {
        LocalDate lastMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);
        Fixtures.Tenant tenant = fixtures.tenant();
        usage.call(tenant.id()).model("a").at(in(lastMonth, 1, 12)).cost("USD", 1000, 0, 0).insert();

        invoices.closeEndedPeriods();
        invoices.closeEndedPeriods();

        assertEquals(1, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ? AND billing_period = ?"
                + " AND state = 'FINALIZED'", tenant.id(), lastMonth));
        assertEquals(1000, db.count("SELECT usage_nanos FROM invoices WHERE tenant_id = ?", tenant.id()));
    }

    @Test
    void aTenantWithoutPlanOrUsageGetsNoInvoice() {
        Fixtures.Tenant tenant = fixtures.tenant();
        Closed closed = invoices.close(tenant.id(), LocalDate.of(2025, 4, 1));
        assertTrue(closed.invoices().isEmpty());
        assertEquals(0, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ?", tenant.id()));
        assertNull(db.queryFirst("SELECT 1 FROM audit_log WHERE tenant_id = ?", tenant.id()).orElse(null));
    }
}
