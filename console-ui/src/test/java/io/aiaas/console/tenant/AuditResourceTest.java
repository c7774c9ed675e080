package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AuditResourceTest {

    static final String PAGE = """
            {"entries":[
              {"id":912,"at":"2026-11-20T12:34:56Z","actor":"alice@acme.test","actor_kind":"USER",
               "tenant_id":"7d0b1c52-1111-4c5e-9d7e-000000000009","tenant":"acme","action":"api_key.created",
               "target_type":"api_key","target_id":"3f2c5a4e-0b1d-4c8e-9a7f-1e2d3c4b5a69",
               "details":{"name":"<ci>"}}],
             "next_before":912}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/audit")), 200, PAGE);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminReadsTheLogFilteredByActionAPageAtATime() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/audit?action=api_key.*").then().statusCode(200)
                .body(containsString("<table id=\"audit\">"))
                .body(containsString("<tr data-audit-id=\"912\">"))
                .body(containsString("2026-11-20 12:34:56"))
                .body(containsString("<code>api_key.created</code>"))
                .body(containsString("{&quot;name&quot;:&quot;&lt;ci&gt;&quot;}"))
                .body(containsString("<input id=\"audit-action\" name=\"action\" value=\"api_key.*\""))
                .body(not(containsString("id=\"audit-newest\"")))
                .extract().asString();
        assertTrue(html.contains("<a id=\"audit-next\" href=\"/t/acme/audit?before=912&amp;action=api_key.*\">"),
                html);
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/audit"))
                .withQueryParam("action", equalTo("api_key.*")).withQueryParam("limit", equalTo("50"))
                .withQueryParam("before", absent()));

        assertTrue(html.contains("<a id=\"audit-csv\" class=\"button\" href=\"/t/acme/audit.csv?action=api_key.*\""
                + " download>"), html);

        given().when().get("/t/acme/audit?before=912").then().statusCode(200)
                .body(containsString("<a id=\"audit-newest\" href=\"/t/acme/audit\">"))
                .body(containsString("<a id=\"audit-csv\" class=\"button\" href=\"/t/acme/audit.csv\" download>"));
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/audit"))
                .withQueryParam("before", equalTo("912")).withQueryParam("action", absent()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aFilterThePlatformRefusesIsShownNextToIt() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/audit")), 400, "invalid_parameter",
                "action must be an action or a prefix ending in .*");
        String html = given().when().get("/t/acme/audit?action=*").then().statusCode(400).extract().asString();
        assertEquals("action must be an action or a prefix ending in .*", Forms.text(html, "audit-filter-error"));
    }

    @Test
    @TestSecurity(user = "alice")
    void theCsvOfEveryEntryIsStreamedFromThePlatformWithTheFilter() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String body = "id,at,actor,actor_kind,tenant,action,target_type,target_id,details\r\n"
                + "912,2026-11-20T12:34:56Z,alice@acme.test,USER,acme,api_key.created,api_key,3f2c,"
                + "\"{\"\"n\"\": 1}\"\r\n";
        api.stubFor(get(urlPathEqualTo("/api/v1/tenants/acme/audit.csv")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv; charset=utf-8")
                .withHeader("Content-Disposition", "attachment; filename=\"audit-acme-2026-11-20.csv\"")
                .withBody(body)));
        Response csv = given().when().get("/t/acme/audit.csv?action=api_key.*");
        assertEquals(200, csv.statusCode());
        assertEquals("attachment; filename=\"audit-acme-2026-11-20.csv\"", csv.header("Content-Disposition"));
        assertEquals(body, csv.asString());
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/audit.csv"))
                .withQueryParam("action", equalTo("api_key.*")));
        given().when().get("/t/acme/audit.csv?action=").then().statusCode(200);
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/audit.csv"))
                .withQueryParam("action", absent()));
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberAskingForTheCsvGetsTheForbiddenPage() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/audit.csv")), 403, "forbidden",
                "Only tenant admins read the audit log");
        given().when().get("/t/acme/audit.csv").then().statusCode(403).body(containsString("id=\"forbidden\""));
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberIsToldTheLogIsForAdminsAndThePlatformIsNotAsked() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        given().when().get("/t/acme/audit").then().statusCode(200)
                .body(containsString("id=\"audit-admins-only\""))
                .body(not(containsString("api_key.created")));
        api.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/audit")));
    }
}
