package io.aiaas.platform.usage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.usage.persistence.UsageRetention;
import io.aiaas.platform.usage.persistence.UsageRetention.Expiry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The retention of raw usage rows: old monthly partitions dropped (never while a draft invoice of their months
 * waits, once across concurrent runs), everything invoices and hourly reports read kept, and what needed the rows a
 * clear 410. Months of 1990, which no other test uses; the record of them is removed afterwards.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UsageRetentionTest {

    @Inject
    BilledUsage usage;
    @Inject
    TestDb db;
    @Inject
    InvoiceService invoices;
    @Inject
    UsageRetention retention;

    @AfterEach
    void forget() {
        db.update("DELETE FROM usage_retention WHERE month < DATE '1991-01-01'");
    }

    private boolean partition(String name) {
        return db.count("SELECT count(*) FROM pg_class WHERE relname = ?", name) == 1;
    }

    @Test
    void oldMonthsRowsGoOnceTheirDraftsAreSettledAndWhatNeededThemAnswers410() throws Exception {
        Api.TenantUser alice = Api.tenantWithAdmin();
        UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", alice.slug());
        Instant january = Instant.parse("1990-01-15T10:00:30Z");
        usage.call(tenant).model("iris").at(january).cost("USD", 2_000_000, 0, 0).insert();
        usage.call(tenant).model("iris").at(Instant.parse("1990-02-10T08:00:00Z")).cost("USD", 2_000_000, 0, 0)
                .insert();
        usage.call(tenant).model("iris").at(Instant.parse("1990-04-05T12:00:00Z")).cost("USD", 2_000_000, 0, 0)
                .insert();
        InvoiceView draft = invoices.close(tenant, LocalDate.of(1990, 1, 1), "system", true).invoices().get(0);
        Instant june = Instant.parse("1990-06-15T00:00:00Z");

        // a draft of January waits: nothing goes
        Expiry waiting = retention.expire(3, june);
        assertEquals(List.of(), waiting.dropped());
        assertTrue(waiting.skipped().contains("draft"), waiting.skipped());
        assertTrue(partition("usage_records_1990_01"));

        // finalized: January and February go (before March, three months before June), April stays; two replicas'
        // runs at once drop each month once
        Api.as(Tokens.admin()).post("/admin/v1/invoices/" + draft.id() + "/finalize").then().statusCode(200);
        CompletableFuture<Expiry> a = CompletableFuture.supplyAsync(() -> retention.expire(3, june));
        CompletableFuture<Expiry> b = CompletableFuture.supplyAsync(() -> retention.expire(3, june));
        List<YearMonth> dropped = new ArrayList<>(a.get().dropped());
        dropped.addAll(b.get().dropped());
        dropped.sort(null);
        assertEquals(List.of(YearMonth.of(1990, 1), YearMonth.of(1990, 2)), dropped);
        assertTrue(!partition("usage_records_1990_01") && !partition("usage_records_1990_02"));
        assertTrue(partition("usage_records_1990_04"));
        assertEquals(1, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ?", tenant));
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE action = 'usage.rows_expired'"
                + " AND target_id IN ('1990-01', '1990-02')"));
        assertEquals(List.of(), retention.expire(3, june).dropped());
        Api.as(Tokens.admin()).get("/admin/v1/usage/retention").then().statusCode(200)
                .body("retention_months", equalTo(0)).body("kept_from", equalTo("1990-03-01T00:00:00Z"))
                .body("expired_months", equalTo(List.of("1990-02", "1990-01")));
        Api.as(alice.token()).get("/admin/v1/usage/retention").then().statusCode(403);

        // the invoice is as it was; its line's rows are gone, and the drill-down says so
        String invoice = "/api/v1/tenants/" + alice.slug() + "/invoices/" + draft.id();
        Api.as(alice.token()).get(invoice).then().statusCode(200).body("total_nanos", equalTo(2_000_000))
                .body("lines[0].kind", equalTo("usage"));
        Api.as(alice.token()).get(invoice + "/lines/1/usage").then().statusCode(410)
                .body("code", equalTo("usage_rows_expired")).body("detail", containsString("before 1990-03-01T00:00:00Z"));

        // reports on whole hours read the roll-ups as before; minute buckets and partial hours of those months: 410
        String url = "/api/v1/tenants/" + alice.slug() + "/usage";
        Api.as(alice.token()).queryParam("start", "1990-01-01T00:00:00Z").queryParam("end", "1990-03-01T00:00:00Z")
                .queryParam("bucket_width", "1d").get(url).then().statusCode(200)
                .body("totals.requests", equalTo(2));
        Api.as(alice.token()).queryParam("start", "1990-01-15T10:00:00Z").queryParam("end", "1990-01-15T11:00:00Z")
                .queryParam("bucket_width", "1m").get(url).then().statusCode(410)
                .body("code", equalTo("usage_rows_expired"));
        Api.as(alice.token()).queryParam("start", "1990-01-15T10:30:00Z").queryParam("end", "1990-01-16T00:00:00Z")
                .queryParam("bucket_width", "1h").get("/api/v1/tenants/" + alice.slug() + "/costs").then().statusCode(410);
        Api.as(alice.token()).queryParam("start", "1990-04-05T12:00:00Z").queryParam("end", "1990-04-05T13:00:00Z")
                .queryParam("bucket_width", "1m").get(url).then().statusCode(200)
                .body("totals.requests", equalTo(1));
    }
}
