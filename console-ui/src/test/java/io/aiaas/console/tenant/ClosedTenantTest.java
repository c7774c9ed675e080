package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A closed tenant's pages, for one of its admins: the banner on each, the reads kept, and none of the forms
 * platform-api would refuse with 409 {@code tenant_closed}; a change posted anyway shows that refusal. The same for a
 * platform admin who is no member, told by the admin API (once a page; never asked on a member's pages).
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class ClosedTenantTest {

    /** The plan status after closing: the plan ended, the month is still the tenant's billing period. */
    static final String PLAN = PlanResourceTest.status(null, null, "null");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
    }

    /** The page as alice gets it: 200, with the closed banner. */
    private String page(String path) {
        String html = given().when().get(path).then().statusCode(200).extract().asString();
        int at = html.indexOf("id=\"tenant-closed\"");
        String banner = at < 0 ? null
                : html.substring(html.indexOf('>', at) + 1, html.indexOf("</p>", at)).replaceAll("<[^>]+>", "");
        assertTrue(banner != null && banner.startsWith("This tenant is closed.")
                && banner.contains("invoices, usage and audit log stay readable")
                && banner.contains("nothing of it can be changed"), path + ": " + banner);
        assertTrue(html.indexOf("id=\"tenant-closed\"") < html.indexOf("<h1"), "near the top of " + path);
        return html;
    }

    @Test
    @TestSecurity(user = "alice")
    void theOverviewKeepsItsNumbersWithoutTheCloseForm() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, PLAN);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, OverviewResourceTest.USAGE);
        PlatformApiStub.unpaidInvoices(api, "acme");
        String html = page("/t/acme");
        assertEquals("1,234", Forms.text(html, "period-requests"));
        // no plan because it closed, not a plan-less tenant whose calls nothing limits
        assertEquals("closed: no plan, and its keys call nothing", Forms.text(html, "overview-closed"));
        assertEquals("None: the tenant is closed.", Forms.text(html, "rate-limits"));
        assertFalse(html.contains("nothing is limited or priced"), html);
        assertFalse(html.contains("close-tenant"), "no close form: " + html);
        assertFalse(html.contains("close-tenant-done"), "no notice without a closing just done");
        api.verify(0, getRequestedFor(urlPathMatching("/admin/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void theKeysAreListedWithoutTheIssueFormOrActions() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200, KeysResourceTest.KEYS);
        String html = page("/t/acme/keys");
        assertTrue(html.contains("<tr data-key-id=\"" + KeysResourceTest.KEY_ID + "\">"), "the keys stay listed");
        for (String form : new String[] {"create-key", "rotate-key", "revoke-key", "budget-key", "rate-limit-key",
                "models-key", ">Actions<", "keys-member-note"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's keys page");
        }
        api.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/models")));
        api.verify(0, getRequestedFor(urlPathMatching("/admin/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void thePlanPageOffersNoPlan() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, PLAN);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan/choices")), 200,
                PlanResourceTest.CHOICES);
        String html = page("/t/acme/plan");
        assertTrue(Forms.text(html, "plan-none").startsWith("The tenant is closed: its plan ended"), html);
        assertTrue(html.contains("id=\"plan-closed\""), html);
        for (String form : new String[] {"choose-plan", "upgrade-plan", "stay-on-plan", "plan-choices\""}) {
            assertFalse(html.contains(form), form + " on a closed tenant's plan page");
        }
        api.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/plan/choices")));
    }

    @Test
    @TestSecurity(user = "alice")
    void thePeopleAreListedWithoutForms() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/members")), 200,
                MembersResourceTest.MEMBERS);
        String html = page("/t/acme/members");
        assertTrue(html.contains("<td>alice@acme.test</td>"), html);
        for (String form : new String[] {"invite-member", "member-role-", "change-role", "remove-member",
                "members-member-note"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's members page");
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void theWebhookAndItsDeliveriesAreShownWithoutForms() {
        PlatformApiStub.webhookEventTypes(api);
        PlatformApiStub.webhook(api, "acme", "https://hooks.acme.test/aiaas", "2026-11-01T08:00:00Z");
        PlatformApiStub.webhookDeliveries(api, "acme", "[]");
        String html = page("/t/acme/webhook");
        assertEquals("https://hooks.acme.test/aiaas", Forms.text(html, "webhook-url"));
        assertTrue(html.contains("id=\"webhook-no-deliveries\""), html);
        // removing stays possible, to stop the events of its last invoices
        assertTrue(html.contains("id=\"remove-webhook\""), html);
        for (String form : new String[] {"set-webhook", "test-webhook", "webhook-url-input"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's webhook page");
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void theBillingDetailsAreShownWithoutTheirForm() {
        PlatformApiStub.billingProfile(api, "acme", BillingProfileResourceTest.ACME, "2026-11-30T10:00:00Z",
                "alice@acme.test");
        String html = page("/t/acme/billing-profile");
        assertTrue(html.contains("<address id=\"billing-profile-address\""), html);
        for (String form : new String[] {"save-billing-profile", "billing-legal-name", "billing-country",
                "billing-profile-hint", "billing-profile-member-note"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's billing details page");
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void theInvoicesStayReadable() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 200, "[]");
        page("/t/acme/invoices");
    }

    @Test
    @TestSecurity(user = "alice")
    void theUpcomingInvoiceOfTheMonthItClosedInStillShowsItsFee() {
        // closed on 30 Nov: no plan any more, but November's fee is still owed, and the API still answers
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices/upcoming")), 200, """
                {"tenant":"acme","period":"2026-11","kind":"INVOICE","state":"PREVIEW","currency":"USD",
                 "plan_id":"7e57ab1e-0000-4000-8000-000000000001","period_start":"2026-11-01T00:00:00Z",
                 "period_end":"2026-12-01T00:00:00Z","usage_nanos":0,"adjustment_nanos":0,
                 "fee_nanos":5000000000,"credit_nanos":0,"total_nanos":5000000000,"total_minor":500,
                 "total":"5.00","lines":[{"line_no":1,"kind":"fee","quantity":1,"amount_nanos":5000000000,
                 "amount":"5.00","description":"Monthly fee, plan Basic"}]}""");
        String html = page("/t/acme/invoices/upcoming");
        assertTrue(html.contains("<h1>Upcoming invoice, November 2026 (so far)</h1>"), html);
        assertEquals("$5.00", Forms.text(html, "upcoming-fee"));
        assertEquals("$5.00", Forms.text(html, "upcoming-total"));
        assertTrue(html.contains("<td>Monthly fee, plan Basic</td>"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aChangePostedAnywayShowsThePlatformsRefusal() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200, KeysResourceTest.KEYS);
        PlatformApiStub.tenantClosed(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys")), "acme");
        String html = Csrf.fabricated().form().formParam("name", "ci").when().post("/t/acme/keys").then()
                .statusCode(409).extract().asString();
        String error = Forms.text(html, "create-key-error");
        assertTrue(error != null && error.contains("is closed; its invoices, usage and audit log stay readable"),
                html);
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys")));
    }

    @Test
    @TestSecurity(user = "alice")
    void theSwitcherMarksTheClosedTenantAndHomeOpensAnOpenOne() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed", "globex:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 200, "[]");
        String html = page("/t/acme/invoices");
        assertTrue(html.contains("<option value=\"/t/acme\" selected>ACME Inc (closed)</option>"), html);
        assertTrue(html.contains("<option value=\"/t/globex\" >GLOBEX Inc</option>"), html);
        given().redirects().follow(false).when().get("/home").then().statusCode(303)
                .header("Location", endsWith("/t/globex"));
    }

    /** acme as {@code GET /admin/v1/tenants/acme} shows it once closed. */
    static final String ADMIN_VIEW = """
            {"id":"11111111-1111-1111-1111-111111111111","slug":"acme","name":"ACME Inc","status":"closed",
             "time_zone":"UTC","plan":null,"next_plan":null,"created_at":"2026-01-01T00:00:00Z",
             "updated_at":"2026-11-30T20:00:00Z","closed_at":"2026-11-30T20:00:00Z"}""";

    /** A platform admin who belongs to no tenant, and acme closed as the admin API shows it. */
    private void platformAdminOfClosedAcme() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, ADMIN_VIEW);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPlatformAdminWhoIsNoMemberSeesTheOverviewClosedAskingTheAdminApiOnce() {
        platformAdminOfClosedAcme();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, PLAN);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, OverviewResourceTest.USAGE);
        String html = page("/t/acme");
        assertEquals("closed: no plan, and its keys call nothing", Forms.text(html, "overview-closed"));
        assertFalse(html.contains("close-tenant"), "no close form: " + html);
        api.verify(1, getRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPlatformAdminWhoIsNoMemberSeesTheKeysClosedAskingTheAdminApiOnce() {
        platformAdminOfClosedAcme();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200, KeysResourceTest.KEYS);
        String html = page("/t/acme/keys");
        assertTrue(html.contains("<tr data-key-id=\"" + KeysResourceTest.KEY_ID + "\">"), "the keys stay listed");
        for (String form : new String[] {"create-key", "rotate-key", "revoke-key", "budget-key", "rate-limit-key",
                "models-key", ">Actions<"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's keys page");
        }
        api.verify(1, getRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")));
        api.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/models")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPlatformAdminWhoIsNoMemberSeesTheInvoicesClosed() {
        platformAdminOfClosedAcme();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 200, "[]");
        page("/t/acme/invoices");
        api.verify(1, getRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void whenTheAdminApiCannotSayThePlatformAdminsPageRendersAsOpen() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 503, "unavailable", "busy");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200, KeysResourceTest.KEYS);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, KeysResourceTest.MODELS);
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertFalse(html.contains("id=\"tenant-closed\""), "no banner when it cannot be told");
        assertTrue(html.contains("create-key"), "the forms show; the API's 409 would come back beside them");
        api.verify(1, getRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")));
    }

    @Test
    @TestSecurity(user = "carol")
    void anOpenTenantsMemberNeverCausesAnAdminApiCall() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200, KeysResourceTest.KEYS);
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertFalse(html.contains("id=\"tenant-closed\""), html);
        api.verify(0, getRequestedFor(urlPathMatching("/admin/v1/.*")));
    }
}
