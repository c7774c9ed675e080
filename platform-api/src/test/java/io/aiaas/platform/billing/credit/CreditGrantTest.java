package io.aiaas.platform.billing.credit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.billing.credit.service.CreditService;
import io.aiaas.platform.billing.invoice.service.InvoiceLineView;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Credit grants: invoices draw on them as periods close, earliest expiry first, down to a total of zero, the rest
 * carried to later periods; an expired, voided or later grant is not drawn; a voided draft gives its credit back; two
 * periods closing at once never draw the same credit; platform admins grant, list and void, members read.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class CreditGrantTest {

    static final Caller ADMIN = new Caller("admin-sub", "admin@aiaas.test", true, "admin", true);
    static final LocalDate JULY = LocalDate.of(2025, 7, 1);
    static final LocalDate AUGUST = LocalDate.of(2025, 8, 1);
    static final LocalDate SEPTEMBER = LocalDate.of(2025, 9, 1);

    @Inject
    InvoiceService invoices;
    @Inject
    CreditService credits;
    @Inject
    BilledUsage usage;
    @Inject
    Fixtures fixtures;
    @Inject
    TestDb db;

    @Test
    void anInvoiceDrawsOnGrantsEarliestExpiryFirstDownToZeroAndTheRestCarriesOver() {
        Fixtures.Tenant tenant = feeTenant(7_000_000);
        usage.call(tenant.id()).model("a").at(Instant.parse("2025-07-05T12:00:00Z")).cost("USD", 1000, 0, 0)
                .insert();
        UUID lasting = grant(tenant, "USD", 5_000_000_000L, "2025-06-01T00:00:00Z", null);
        UUID expiring = grant(tenant, "USD", 4_000_000_000L, "2025-06-02T00:00:00Z", "2025-09-15T00:00:00Z");
        grant(tenant, "EUR", 9_000_000_000L, "2025-06-01T00:00:00Z", null); // another currency: never drawn here

        InvoiceView july = invoices.close(tenant.id(), JULY).invoices().get(0);
        assertEquals(0, july.totalNanos(), "7.000001 due, all of it drawn");
        assertEquals(0, july.totalMinor());
        assertEquals(-7_000_001_000L, july.creditNanos());
        List<InvoiceLineView> grants = july.lines().stream().filter(l -> "grant".equals(l.kind())).toList();
        assertEquals(2, grants.size(), july.lines().toString());
        assertEquals(-4_000_000_000L, grants.get(0).amountNanos(), "the grant that expires first, first");
        assertEquals(-3_000_001_000L, grants.get(1).amountNanos());
        assertTrue(grants.get(0).description().startsWith("Credit grant: "), grants.get(0).description());

        InvoiceView august = invoices.close(tenant.id(), AUGUST).invoices().get(0);
        assertEquals(5_000_001_000L, august.totalNanos(), "7 due, the 1.999999 left drawn");
        assertEquals(500, august.totalMinor());
        InvoiceView september = invoices.close(tenant.id(), SEPTEMBER).invoices().get(0);
        assertEquals(7_000_000_000L, september.totalNanos(), "nothing left to draw");

        assertEquals(5_000_000_000L, db.count("SELECT sum(amount_nanos) FROM credit_applications WHERE grant_id = ?",
                lasting));
        assertEquals(4_000_000_000L, db.count("SELECT sum(amount_nanos) FROM credit_applications WHERE grant_id = ?",
                expiring));
        // the invoice's lines add up to its total, as ever
        assertEquals(august.totalNanos(), august.lines().stream().mapToLong(InvoiceLineView::amountNanos).sum());
    }

    @Test
    void anExpiredVoidedOrLaterGrantIsNotDrawnAndAVoidedDraftGivesItsCreditBack() {
        Fixtures.Tenant tenant = feeTenant(7_000_000);
        grant(tenant, "USD", 1_000_000_000L, "2025-05-01T00:00:00Z", "2025-07-01T00:00:00Z"); // expired as July began
        grant(tenant, "USD", 1_000_000_000L, "2025-08-01T00:00:00Z", null); // given after July ended
        UUID voided = grant(tenant, "USD", 1_000_000_000L, "2025-06-01T00:00:00Z", null);
        credits.voidGrant(voided.toString(), ADMIN);
        UUID good = grant(tenant, "USD", 2_000_000_000L, "2025-06-01T00:00:00Z", "2025-07-20T00:00:00Z");

        InvoiceView draft = invoices.close(tenant.id(), JULY, "admin", true).invoices().get(0);
        assertEquals(5_000_000_000L, draft.totalNanos(), "only the grant valid in July, which expired within it");
        invoices.voidDraft(draft.id().toString(), ADMIN);
        assertEquals(0, db.count("SELECT count(*) FROM credit_applications a JOIN invoices i ON i.id = a.invoice_id"
                + " WHERE a.grant_id = ? AND i.state <> 'VOID'", good), "the void gave the credit back");

        InvoiceView again = invoices.close(tenant.id(), JULY).invoices().get(0);
        assertEquals(5_000_000_000L, again.totalNanos(), "drawn again by the invoice that replaced the draft");
        assertEquals(2, db.count("SELECT count(*) FROM credit_applications WHERE grant_id = ?", good));
    }

    @Test
    void twoPeriodsClosingAtOnceNeverDrawTheSameCredit() throws Exception {
        for (int round = 0; round < 5; round++) {
            Fixtures.Tenant tenant = feeTenant(7_000_000);
            grant(tenant, "USD", 10_000_000_000L, "2025-06-01T00:00:00Z", null);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<InvoiceView> july = pool.submit(() -> {
                    start.await();
                    return invoices.close(tenant.id(), JULY).invoices().get(0);
                });
                Future<InvoiceView> august = pool.submit(() -> {
                    start.await();
                    return invoices.close(tenant.id(), AUGUST).invoices().get(0);
                });
                start.countDown();
                assertEquals(4_000_000_000L, july.get().totalNanos() + august.get().totalNanos(),
                        "14 due, exactly 10 drawn between the two");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(10_000_000_000L, db.count("SELECT sum(a.amount_nanos) FROM credit_applications a"
                    + " JOIN credit_grants g ON g.id = a.grant_id WHERE g.tenant_id = ?", tenant.id()));
        }
    }

    @Test
    void platformAdminsGrantListAndVoidAndMembersSeeWhatIsLeftAndTheUpcomingInvoiceDrawIt() {
        TenantUser admin = Api.tenantWithAdmin();
        Map<String, Object> spec = PlanBodies.spec();
        spec.put("monthly_fee_micros", 9_000_000L);
        PlanBodies.assign(admin.slug(), PlanBodies.create(spec));
        TenantUser member = Api.userOf(admin.slug(), "member");

        String id = Api.as(Tokens.admin()).body(Map.of("tenant", admin.slug(), "amount_micros", 2_500_000,
                "currency", "USD", "reason", "launch promotion")).post("/admin/v1/credits").then().statusCode(201)
                .header("Location", containsString("/admin/v1/credits/")).body("state", equalTo("active"))
                .body("amount", equalTo("2.50")).body("remaining_nanos", equalTo(2_500_000_000L))
                .body("granted_by", notNullValue()).extract().path("id");

        Api.as(member.token()).get("/api/v1/tenants/" + admin.slug() + "/credits").then().statusCode(200)
                .body("balances", hasSize(1)).body("balances[0].currency", equalTo("USD"))
                .body("balances[0].remaining", equalTo("2.50")).body("grants[0].reason", equalTo("launch promotion"))
                .body("grants[0].granted_by", nullValue());
        Api.as(member.token()).get("/api/v1/tenants/" + admin.slug() + "/invoices/upcoming").then().statusCode(200)
                .body("fee_nanos", equalTo(9_000_000_000L)).body("total_nanos", equalTo(6_500_000_000L))
                .body("lines.find { it.kind == 'grant' }.amount_nanos", equalTo(-2_500_000_000L));
        // another tenant sees none of it
        TenantUser stranger = Api.tenantWithAdmin();
        Api.as(stranger.token()).get("/api/v1/tenants/" + stranger.slug() + "/credits").then().statusCode(200)
                .body("grants", hasSize(0)).body("balances", hasSize(0));
        Api.as(stranger.token()).get("/api/v1/tenants/" + admin.slug() + "/credits").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(admin.token()).body(Map.of("tenant", admin.slug(), "amount_micros", 1, "currency", "USD", "reason",
                "me")).post("/admin/v1/credits").then().statusCode(403);

        Api.as(Tokens.admin()).get("/admin/v1/credits?tenant=" + admin.slug()).then().statusCode(200)
                .body("", hasSize(1)).body("[0].id", equalTo(id));
        Api.as(Tokens.admin()).post("/admin/v1/credits/" + id + "/void").then().statusCode(200)
                .body("state", equalTo("voided")).body("voided_at", notNullValue());
        Api.as(Tokens.admin()).post("/admin/v1/credits/" + id + "/void").then().statusCode(409)
                .body("code", equalTo("credit_grant_void"));
        Api.as(member.token()).get("/api/v1/tenants/" + admin.slug() + "/invoices/upcoming").then().statusCode(200)
                .body("total_nanos", equalTo(9_000_000_000L));
        Api.as(member.token()).get("/api/v1/tenants/" + admin.slug() + "/credits").then().statusCode(200)
                .body("balances", hasSize(0)).body("grants[0].state", equalTo("voided"));
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", admin.slug());
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                + " 'billing.credit_granted'", tenantId));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                + " 'billing.credit_voided' AND details ->> 'forfeited_nanos' = '2500000000'", tenantId));
    }

    @Test
    void aGrantNamesAnOpenTenantAPositiveAmountAndAFutureExpiryWithinWhatATenantMayHold() {
        String slug = Api.createTenant();
        Map<String, Object> good = new HashMap<>(Map.of("tenant", slug, "amount_micros", 1_000_000, "currency",
                "USD", "reason", "r"));
        List<Map.Entry<String, Object>> bads = List.of(Map.entry("amount_micros", 0), Map.entry("amount_micros", -5),
                Map.entry("currency", "usd"), Map.entry("reason", " "),
                Map.entry("expires_at", Instant.now().minus(1, ChronoUnit.DAYS).toString()));
        for (Map.Entry<String, Object> bad : bads) {
            Map<String, Object> body = new HashMap<>(good);
            body.put(bad.getKey(), bad.getValue());
            Api.as(Tokens.admin()).body(body).post("/admin/v1/credits").then().statusCode(400)
                    .body("code", equalTo("validation_failed")).body("violations.field[0]", equalTo(bad.getKey()));
        }
        Map<String, Object> unknown = new HashMap<>(good);
        unknown.put("tenant", "no-such-" + slug);
        Api.as(Tokens.admin()).body(unknown).post("/admin/v1/credits").then().statusCode(400)
                .body("code", equalTo("unknown_tenant"));
        // what a tenant holds in a currency is bounded, so that no sum of its grants can overflow
        Map<String, Object> most = new HashMap<>(good);
        most.put("amount_micros", 1_000_000_000_000_000L);
        Api.as(Tokens.admin()).body(most).post("/admin/v1/credits").then().statusCode(201);
        Api.as(Tokens.admin()).body(good).post("/admin/v1/credits").then().statusCode(409)
                .body("code", equalTo("credit_limit"));
        most.put("currency", "EUR");
        Api.as(Tokens.admin()).body(most).post("/admin/v1/credits").then().statusCode(201);
        Api.as(Tokens.admin()).get("/api/v1/tenants/" + slug + "/credits").then().statusCode(200)
                .body("balances.remaining", equalTo(List.of("1000000000.00", "1000000000.00")));
        Api.as(Tokens.admin()).body(Map.of("confirm", slug)).post("/api/v1/tenants/" + slug + "/close").then()
                .statusCode(200);
        Api.as(Tokens.admin()).body(good).post("/admin/v1/credits").then().statusCode(409)
                .body("code", equalTo("tenant_closed"));
        Api.as(Tokens.admin()).post("/admin/v1/credits/" + UUID.randomUUID() + "/void").then().statusCode(404)
                .body("code", equalTo("credit_grant_not_found"));
        assertEquals(2, db.count("SELECT count(*) FROM credit_grants g JOIN tenants t ON t.id = g.tenant_id"
                + " WHERE t.slug = ?", slug), "only the two grants that were accepted");
    }

    /** A tenant on a plan with this monthly fee (USD, no prices) since before the periods these tests close. */
    Fixtures.Tenant feeTenant(long feeMicros) {
        Fixtures.Tenant tenant = fixtures.tenant();
        String name = "Fee-" + UUID.randomUUID().toString().substring(0, 8);
        UUID plan = usage.plan(name, "USD", """
                {"name": "%s", "currency": "USD", "monthly_fee_micros": %d, "included_credit_micros": 0,
                 "prices": []}""".formatted(name, feeMicros));
        usage.assign(tenant.id(), plan, Instant.parse("2025-06-01T00:00:00Z"));
        return tenant;
    }

    /** A grant given at a past instant, as the admin API would have stored it then. */
    UUID grant(Fixtures.Tenant tenant, String currency, long nanos, String createdAt, String expiresAt) {
        UUID id = UUID.randomUUID();
        db.update("""
                INSERT INTO credit_grants (id, tenant_id, currency, amount_nanos, reason, granted_by, created_at,
                    expires_at)
                VALUES (?, ?, ?, ?, 'test', 'admin@aiaas.test', ?::timestamptz, ?::timestamptz)""", id, tenant.id(),
                currency, nanos, createdAt, expiresAt);
        return id;
    }
}
