package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminAuditResourceTest {

    static final String PAGE = """
            {"entries":[
              {"id":912,"at":"2026-11-20T12:34:56Z","actor":"alice@acme.test","actor_kind":"USER",
               "tenant_id":"7d0b1c52-1111-4c5e-9d7e-000000000009","tenant":"acme","action":"api_key.created",
               "target_type":"api_key","target_id":"3f2c5a4e-0b1d-4c8e-9a7f-1e2d3c4b5a69",
               "details":{"name":"<ci>"}},
              {"id":911,"at":"2026-11-20T12:00:00Z","actor":"root@aiaas.test","actor_kind":"USER",
               "action":"tax_rate.created","target_type":"tax_rate","target_id":"9a9a","details":{"rate":"19"}}],
             "next_before":911}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/audit")), 200, PAGE);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anAdminReadsTheLogFilteredByTenantAndActionAPageAtATime() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        String html = given().when().get("/admin/audit?tenant=acme&action=api_key.*").then().statusCode(200)
                .body(containsString("<table id=\"admin-audit\">"))
                .body(containsString("<tr data-audit-id=\"912\">"))
                .body(containsString("2026-11-20 12:34:56"))
                .body(containsString("<code>api_key.created</code>"))
                .body(containsString("<input id=\"admin-audit-tenant\" name=\"tenant\" value=\"acme\""))
                .body(containsString("<input id=\"admin-audit-action\" name=\"action\" value=\"api_key.*\""))
                .body(not(containsString("id=\"admin-audit-newest\"")))
                .extract().asString();
        assertTrue(html.contains("<a id=\"admin-audit-next\" href=\"/admin/audit?before=911&amp;tenant=acme"
                + "&amp;action=api_key.*\">"), html);
        assertTrue(html.contains("<a id=\"admin-audit-csv\" class=\"button\" href=\"/admin/audit.csv?tenant=acme"
                + "&amp;action=api_key.*\" download>"), html);
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/audit"))
                .withQueryParam("tenant", equalTo("acme")).withQueryParam("action", equalTo("api_key.*"))
                .withQueryParam("limit", equalTo("50")).withQueryParam("before", absent()));

        given().when().get("/admin/audit?before=911&tenant=acme&action=api_key.*").then().statusCode(200)
                .body(containsString("<a id=\"admin-audit-newest\" href=\"/admin/audit?tenant=acme"
                        + "&amp;action=api_key.*\">"));
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/audit")).withQueryParam("before", equalTo("911"))
                .withQueryParam("tenant", equalTo("acme")).withQueryParam("action", equalTo("api_key.*"))
                .withQueryParam("limit", equalTo("50")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutFiltersEveryTenantAndThePlatformAreShownTheirDetailsEscaped() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        String html = given().queryParam("tenant", " ").queryParam("action", "").when().get("/admin/audit")
                .then().statusCode(200)
                .body(containsString("<a class=\"tenant-link\" href=\"/admin/tenants/acme\">acme</a>"))
                .body(containsString("<span class=\"muted audit-platform\">platform</span>"))
                .body(containsString("{&quot;name&quot;:&quot;&lt;ci&gt;&quot;}"))
                .body(not(containsString("<ci>")))
                .body(containsString("<a id=\"admin-audit-next\" href=\"/admin/audit?before=911\">"))
                .body(containsString("<a id=\"admin-audit-csv\" class=\"button\" href=\"/admin/audit.csv\" download>"))
                .extract().asString();
        String platformRow = html.substring(html.indexOf("<tr data-audit-id=\"911\">"));
        platformRow = platformRow.substring(0, platformRow.indexOf("</tr>"));
        assertTrue(platformRow.contains(">platform</span>") && !platformRow.contains("/admin/tenants/"), platformRow);
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/audit")).withQueryParam("tenant", absent())
                .withQueryParam("action", absent()).withQueryParam("limit", equalTo("50")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aFilterThePlatformRefusesIsShownNextToTheFormWith400() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/audit")), 400, "invalid_parameter",
                "action must be an action or a prefix ending in .*");
        given().when().get("/admin/audit?action=*").then().statusCode(400)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"admin-audit-filter-error\">"
                        + "action must be an action or a prefix ending in .*</p>"))
                .body(containsString("<input id=\"admin-audit-action\" name=\"action\" value=\"*\""))
                .body(not(containsString("data-audit-id=")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnknownTenantIsShownNextToTheFormWith404() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/audit")), 404, "tenant_not_found",
                "No tenant 'nope'");
        given().when().get("/admin/audit?tenant=nope").then().statusCode(404)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"admin-audit-filter-error\">"
                        + "No tenant &#39;nope&#39;</p>"))
                .body(containsString("<input id=\"admin-audit-tenant\" name=\"tenant\" value=\"nope\""))
                .body(not(containsString("id=\"error-heading\"")));
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/audit")).withQueryParam("tenant", equalTo("nope")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndNoLog() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().when().get("/admin/audit").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("api_key.created")));
        given().when().get("/admin/audit.csv").then().statusCode(403)
                .body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theCsvIsPassedThroughByteForByteWithItsFileNameAndTheFilters() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        byte[] body = ("id,at,actor,actor_kind,tenant,action,target_type,target_id,details\r\n"
                + "912,2026-11-20T12:34:56Z,rené@acme.test,USER,acme,api_key.created,api_key,3f2c,"
                + "\"{\"\"n\"\": 1}\"\r\n").getBytes(StandardCharsets.UTF_8);
        api.stubFor(get(urlPathEqualTo("/admin/v1/audit.csv")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv; charset=utf-8")
                .withHeader("Content-Disposition", "attachment; filename=\"audit-acme-2026-11-20.csv\"")
                .withBody(body)));
        Response csv = given().when().get("/admin/audit.csv?tenant=acme&action=api_key.*");
        assertEquals(200, csv.statusCode());
        assertEquals("text/csv;charset=utf-8", csv.contentType().replace(" ", ""));
        assertEquals("attachment; filename=\"audit-acme-2026-11-20.csv\"", csv.header("Content-Disposition"));
        assertArrayEquals(body, csv.asByteArray());
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/audit.csv"))
                .withQueryParam("tenant", equalTo("acme")).withQueryParam("action", equalTo("api_key.*")));

        given().when().get("/admin/audit.csv?tenant=&action=").then().statusCode(200);
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/audit.csv"))
                .withQueryParam("tenant", absent()).withQueryParam("action", absent()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theNavigationLinksTheLogAfterWorkersMarkedCurrentOnItsPage() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/workers")), 200, "[]");
        String page = given().when().get("/admin/audit").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<a id=\"nav-admin-audit\" href=\"/admin/audit\" aria-current=\"page\">Audit</a>"),
                page);
        assertTrue(page.indexOf("id=\"nav-admin-workers\"") < page.indexOf("id=\"nav-admin-audit\""), page);
        given().when().get("/admin/workers").then().statusCode(200)
                .body(containsString("<a id=\"nav-admin-audit\" href=\"/admin/audit\" >Audit</a>"));
    }
}
