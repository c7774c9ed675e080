package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class UsageResourceTest {

    static final String KEY_ID = "3f2c5a4e-0b1d-4c8e-9a7f-1e2d3c4b5a69";
    static final String USAGE = """
            {"tenant":"acme","start":"2026-10-01T00:00:00Z","end":"2026-11-01T00:00:00Z","bucket_width":"1d",
             "group_by":"model","buckets":[
              {"start":"2026-10-02T00:00:00Z","end":"2026-10-03T00:00:00Z","group":"iris","requests":1500,
               "billable_requests":1490,"errors":10,"refused":2,"items":3000,"compute_ms":1200.4,"bytes_in":1,
               "bytes_out":1,"cost_nanos":375000000},
              {"start":"2026-10-02T00:00:00Z","end":"2026-10-03T00:00:00Z","group":"resnet","requests":20,
               "billable_requests":20,"errors":0,"refused":0,"items":20,"compute_ms":800,"bytes_in":1,
               "bytes_out":1,"cost_nanos":5000000},
              {"start":"2026-10-09T00:00:00Z","end":"2026-10-10T00:00:00Z","group":"iris","requests":7,
               "billable_requests":7,"errors":0,"refused":0,"items":7,"compute_ms":3,"bytes_in":1,
               "bytes_out":1,"cost_nanos":1750000}],
             "totals":{"requests":1527,"billable_requests":1517,"errors":10,"refused":2,"items":3027,
               "compute_ms":2003.4,"bytes_in":3,"bytes_out":3,"cost_nanos":381750000}}""";
    static final String COSTS = """
            {"tenant":"acme","bucket_width":"1d","buckets":[],
             "totals":[{"currency":"USD","cost_nanos":381750000,"cost":"0.38175"}]}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200, """
                [{"id":"%s","name":"production","prefix":"aiaas_AbCd","last_four":"wxyz","status":"active",
                  "created_at":"2026-10-01T00:00:00Z"}]""".formatted(KEY_ID));
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, USAGE);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/costs")), 200, COSTS);
    }

    @Test
    @TestSecurity(user = "alice")
    void aMonthByDayAndModelWithTotalsAChartAndTheCsvLink() {
        String html = given().when().get("/t/acme/usage?month=2026-10").then().statusCode(200)
                .body(containsString("<form id=\"usage-filter\" method=\"get\""))
                .body(containsString("<input id=\"usage-period\" name=\"month\" type=\"month\" value=\"2026-10\""))
                .body(containsString("<option value=\"" + KEY_ID + "\" >production (aiaas_AbCd…wxyz)</option>"))
                .body(containsString("<a id=\"usage-csv\" class=\"button\" href=\"/t/acme/usage.csv?month=2026-10\""))
                .extract().asString();
        assertEquals("1,527", Forms.text(html, "usage-total-requests"));
        assertEquals("$0.38", Forms.text(html, "usage-total-cost"), "the cost report's total, in its currency");
        String table = html.substring(html.indexOf("<table id=\"usage-table\">"));
        table = table.substring(0, table.indexOf("</table>"));
        assertTrue(table.contains("<tr><td>2026-10-02</td><td>iris</td><td class=\"num\">1,500</td>"), table);
        assertTrue(table.contains("<td>2026-10-02</td><td>resnet</td>"), table);
        assertTrue(table.contains("<td class=\"num\">1,200 ms</td><td class=\"num\">$0.38</td>"), table);
        assertTrue(table.indexOf("2026-10-02</td><td>resnet") < table.indexOf("2026-10-09"), "by day, then model");
        assertTrue(html.contains("<svg id=\"usage-chart\" class=\"chart\" role=\"img\""), "the chart");
        assertEquals(31, html.split("<rect class=\"bar\"", -1).length - 1, "a bar per day of October");
        assertTrue(html.contains("<tr><td>2026-10-02</td><td>1,520</td></tr>"), "a day sums its models");

        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/usage"))
                .withQueryParam("start", equalTo("2026-10-01T00:00:00Z"))
                .withQueryParam("end", equalTo("2026-11-01T00:00:00Z"))
                .withQueryParam("bucket_width", equalTo("1d"))
                .withQueryParam("group_by", equalTo("model"))
                .withQueryParam("model", absent())
                .withQueryParam("key_id", absent()));
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/costs"))
                .withQueryParam("start", equalTo("2026-10-01T00:00:00Z"))
                .withQueryParam("group_by", absent()));
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutAMonthItIsThisUtcMonth() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        given().when().get("/t/acme/usage").then().statusCode(200)
                .body(containsString("value=\"" + now + "\""));
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/usage"))
                .withQueryParam("start", equalTo(now.atDay(1) + "T00:00:00Z"))
                .withQueryParam("end", equalTo(now.plusMonths(1).atDay(1) + "T00:00:00Z")));
    }

    @Test
    @TestSecurity(user = "alice")
    void theModelAndKeyFiltersGoToBothReportsAndTheCsvLink() {
        given().when().get("/t/acme/usage?month=2026-10&model=iris&key=" + KEY_ID).then().statusCode(200)
                .body(containsString("<option value=\"" + KEY_ID + "\" selected>"))
                .body(containsString("value=\"iris\""))
                .body(containsString("href=\"/t/acme/usage.csv?month=2026-10&amp;model=iris&amp;key=" + KEY_ID + "\""));
        for (String report : new String[] {"usage", "costs"}) {
            api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/" + report))
                    .withQueryParam("model", equalTo("iris")).withQueryParam("key_id", equalTo(KEY_ID)));
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void theCsvComesFromThePlatformWithItsTypeAndFileName() {
        api.stubFor(get(urlPathEqualTo("/api/v1/tenants/acme/usage.csv")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv; charset=utf-8")
                .withHeader("Content-Disposition", "attachment; filename=\"usage-acme-20261001T000000Z.csv\"")
                .withBody("start,end,model,requests\r\n2026-10-02T00:00:00Z,2026-10-03T00:00:00Z,iris,1500\r\n")));
        Response csv = given().when().get("/t/acme/usage.csv?month=2026-10&model=iris");
        assertEquals(200, csv.statusCode());
        assertEquals("text/csv; charset=utf-8", csv.contentType());
        assertEquals("attachment; filename=\"usage-acme-20261001T000000Z.csv\"", csv.header("Content-Disposition"));
        assertTrue(csv.asString().startsWith("start,end,model,requests\r\n2026-10-02"), csv.asString());
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/usage.csv"))
                .withQueryParam("start", equalTo("2026-10-01T00:00:00Z"))
                .withQueryParam("bucket_width", equalTo("1d")).withQueryParam("group_by", equalTo("model"))
                .withQueryParam("model", equalTo("iris")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aFilterThePlatformRefusesIsShownNextToTheForm() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 400, "invalid_parameter",
                "key_id must be an API key id");
        String html = given().when().get("/t/acme/usage?key=nope").then().statusCode(400).extract().asString();
        assertEquals("key_id must be an API key id", Forms.text(html, "usage-filter-error"));
        assertEquals("0", Forms.text(html, "usage-total-requests"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aMonthThatIsNotAMonthFallsBackToThisMonthAndSaysSo() {
        String html = given().when().get("/t/acme/usage?month=2026-13").then().statusCode(200).extract().asString();
        assertTrue(Forms.text(html, "usage-filter-error").contains("not a month"));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsNeitherThePageNorTheCsv() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme/usage").then().statusCode(403).body(containsString("id=\"forbidden\""));
        given().when().get("/t/acme/usage.csv").then().statusCode(403);
        api.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/usage.csv")));
    }
}
