package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
class ModelsResourceTest {

    static final String KEY = "aiaas_Zk3qVbN8xW2pLr5tYh7uJc9mDf4gHs6aQe1oIw0k";
    static final String REQUEST = "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,4],"
            + "\"data\":[5.1,3.5,1.4,0.2]}]}";
    static final String CARD = """
            {"name":"iris","description":"Iris <b>classifier</b>","visibility":"public","latest_version":2,
             "versions":[
              {"version":1,"sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size_bytes":1234,
               "signature":{"inputs":[{"name":"features","datatype":"FP32","shape":[-1,4]}],
                 "outputs":[{"name":"probabilities","datatype":"FP32","shape":[-1,3]}]},
               "created_at":"2026-10-01T10:00:00Z","warmup":{"status":"zeros"},"example":null},
              {"version":2,"sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size_bytes":2345,
               "signature":{"inputs":[{"name":"features","datatype":"FP32","shape":[-1,4]}],
                 "outputs":[{"name":"probabilities","datatype":"FP32","shape":[-1,3]},
                            {"name":"label","datatype":"INT64","shape":[-1]}],
                 "omitted_outputs":[{"name":"output_probability","kind":"a sequence of maps from string to float"}]},
               "created_at":"2026-11-01T10:00:00Z","warmup":{"status":"example"},
               "example":{"request":%s,
                 "response":{"model_name":"iris","outputs":[{"name":"probabilities","datatype":"FP32","shape":[1,3],
                   "data":[0.97,0.02,0.01]}]}}}]}""".formatted(REQUEST);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models/iris")), 200, CARD);
    }

    @Test
    @TestSecurity(user = "alice")
    void theListLinksEachModelsCard() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, "[" + CARD + "]");
        given().when().get("/t/acme/models").then().statusCode(200)
                .body(containsString("<table id=\"models\">"))
                .body(containsString("<a class=\"model-link\" href=\"/t/acme/models/iris\">iris</a>"))
                .body(containsString("Iris &lt;b&gt;classifier&lt;/b&gt;"))
                .body(containsString("<code>features</code> FP32 [-1, 4]"));
    }

    @Test
    @TestSecurity(user = "alice")
    void theCardShowsVersionsSignaturesTheExampleAndATryItFormPrefilledWithIt() {
        String html = given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("<article id=\"model-card\">"))
                .body(containsString("<tr data-version=\"2\">"))
                .body(containsString("<code title=\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\">0123456789ab…</code>"))
                .body(containsString("<td>output</td><td><code>label</code></td><td>INT64</td><td>[-1]</td>"))
                .body(containsString("<p class=\"muted omitted-output\">Not served: <code>output_probability</code>, a sequence"
                        + " of maps from string to float, which the inference protocol cannot carry.</p>"))
                .body(containsString("<form id=\"try-it\""))
                .body(containsString("<input id=\"try-key\" name=\"key\" type=\"password\" autocomplete=\"off\""))
                .body(containsString("<select id=\"try-key-pick\">"))
                .body(containsString("id=\"try-submit\""))
                .body(not(containsString("id=\"try-output\"")))
                .extract().asString();
        String textarea = Forms.text(html, "try-request");
        assertTrue(textarea.contains("&quot;name&quot; : &quot;features&quot;"), "the example, pretty: " + textarea);
        assertTrue(textarea.contains("5.1"), textarea);
        assertTrue(Forms.text(html, "example-response").contains("0.97"));
    }

    @Test
    @TestSecurity(user = "alice")
    void tryingCallsTheGatewayWithTheKeyAndShowsOutputsLatencyDeviceAndCost() {
        api.stubFor(post(urlPathEqualTo("/v2/models/iris/infer")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("x-aiaas-device", "cpu")
                .withHeader("x-aiaas-cost", "0.25").withHeader("x-aiaas-currency", "USD")
                .withHeader("x-aiaas-model-version", "2")
                .withBody("{\"model_name\":\"iris\",\"model_version\":\"2\",\"outputs\":[{\"name\":\"probabilities\","
                        + "\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[0.9700000,0.02,1.0E-5]}]}")));
        String typed = "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[6,3,5,2]}]}";

        Response answer = Forms.from("/t/acme/models/iris").formParam("key", " " + KEY + " ")
                .formParam("request", typed).formParam("version", "").when().post("/t/acme/models/iris/try");
        assertEquals(200, answer.statusCode());
        assertEquals("no-store", answer.header("Cache-Control"));
        String html = answer.asString();
        String output = Forms.text(html, "try-output");
        assertTrue(output.contains("&quot;probabilities&quot;") && output.contains("0.9700000")
                && output.contains("0.000010"), "the answer, pretty, numbers as sent: " + output);
        assertTrue(Forms.text(html, "try-latency").matches("[0-9.,]+ ms"), Forms.text(html, "try-latency"));
        assertEquals("cpu", Forms.text(html, "try-device"));
        assertEquals("$0.25", Forms.text(html, "try-cost"));
        assertNull(Forms.text(html, "try-it-error"));
        assertTrue(Forms.text(html, "try-request").contains("[6,3,5,2]"), "the request typed stays in the textarea");
        assertFalse(html.contains(KEY), "the key is never written back into the page");

        api.verify(postRequestedFor(urlPathEqualTo("/v2/models/iris/infer"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Cookie", absent())
                .withRequestBody(equalToJson(typed)));
    }

    @Test
    @TestSecurity(user = "alice")
    void aChosenVersionIsCalledByItsNumber() {
        api.stubFor(post(urlPathEqualTo("/v2/models/iris/versions/1/infer")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"outputs\":[]}")));
        Forms.from("/t/acme/models/iris").formParam("key", KEY).formParam("request", REQUEST)
                .formParam("version", "1").when().post("/t/acme/models/iris/try").then().statusCode(200)
                .body(containsString("<option value=\"1\" selected>1</option>"));
        api.verify(postRequestedFor(urlPathEqualTo("/v2/models/iris/versions/1/infer")));
    }

    @Test
    @TestSecurity(user = "alice")
    void anInferenceErrorIsShownInTheFormWithItsCodeAndRetryAfter() {
        api.stubFor(post(urlPathEqualTo("/v2/models/iris/infer")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("Retry-After", "17")
                .withHeader("x-aiaas-cost", "0").withHeader("x-aiaas-currency", "USD")
                .withBody("{\"error\":\"the tenant's monthly budget is spent\",\"code\":\"budget_exceeded\"}")));
        String html = Forms.from("/t/acme/models/iris").formParam("key", KEY).formParam("request", REQUEST)
                .when().post("/t/acme/models/iris/try").then().statusCode(200).extract().asString();
        assertEquals("HTTP 429 budget_exceeded: the tenant&#39;s monthly budget is spent (retry after 17 s)",
                Forms.text(html, "try-it-error"));
        assertEquals("$0.00", Forms.text(html, "try-cost"));
        assertNull(Forms.text(html, "try-output"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyRefusedFromThisNetworkSaysSoWithItsCode() {
        api.stubFor(post(urlPathEqualTo("/v2/models/iris/infer")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"the API key may not be used from 192.0.2.10\","
                        + "\"code\":\"network_not_allowed\"}")));
        String html = Forms.from("/t/acme/models/iris").formParam("key", KEY).formParam("request", REQUEST)
                .when().post("/t/acme/models/iris/try").then().statusCode(200).extract().asString();
        assertEquals("HTTP 403 network_not_allowed: the API key may not be used from 192.0.2.10",
                Forms.text(html, "try-it-error"));
        assertNull(Forms.text(html, "try-output"));

        // a refusal in problem JSON, or with no body at all, still reads as one
        api.stubFor(post(urlPathEqualTo("/v2/models/iris/infer")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Forbidden\",\"detail\":\"not from <here>\","
                        + "\"code\":\"network_not_allowed\"}")));
        html = Forms.from("/t/acme/models/iris").formParam("key", KEY).formParam("request", REQUEST)
                .when().post("/t/acme/models/iris/try").then().statusCode(200).extract().asString();
        assertEquals("HTTP 403 network_not_allowed: not from &lt;here&gt;", Forms.text(html, "try-it-error"));
        api.stubFor(post(urlPathEqualTo("/v2/models/iris/infer")).willReturn(aResponse().withStatus(403)));
        html = Forms.from("/t/acme/models/iris").formParam("key", KEY).formParam("request", REQUEST)
                .when().post("/t/acme/models/iris/try").then().statusCode(200).extract().asString();
        assertEquals("HTTP 403: The API key may not make this call.", Forms.text(html, "try-it-error"));
    }

    @Test
    @TestSecurity(user = "alice")
    void requestsThatCannotBeSentAreRefusedBeforeTheGatewayIsCalled() {
        String noKey = Forms.from("/t/acme/models/iris").formParam("request", REQUEST)
                .when().post("/t/acme/models/iris/try").then().statusCode(200).extract().asString();
        assertTrue(Forms.text(noKey, "try-it-error").contains("Enter an API key"));
        String badJson = Forms.from("/t/acme/models/iris").formParam("key", KEY).formParam("request", "{\"inputs\":")
                .when().post("/t/acme/models/iris/try").then().statusCode(200).extract().asString();
        assertTrue(Forms.text(badJson, "try-it-error").contains("not valid JSON"));
        String headerInjection = Forms.from("/t/acme/models/iris").formParam("key", "aiaas_x\r\nX-Evil: 1")
                .formParam("request", REQUEST).when().post("/t/acme/models/iris/try").then().statusCode(200)
                .extract().asString();
        assertTrue(Forms.text(headerInjection, "try-it-error").contains("not an API key"));
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aModelTheTenantMayNotCallIsTheForbiddenPage() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/models/secret")), 404,
                "model_not_found", "no model secret");
        given().when().get("/t/acme/models/secret").then().statusCode(403)
                .body(containsString("id=\"forbidden\""));
    }

    @Test
    @TestSecurity(user = "alice")
    void aModelSharedWithTheTenantSaysSoInTheListAndOnItsCard() {
        String shared = CARD.replace("\"name\":\"iris\"", "\"name\":\"fraud\"")
                .replace("\"visibility\":\"public\"", "\"visibility\":\"shared\"");
        String own = CARD.replace("\"name\":\"iris\"", "\"name\":\"churn\"")
                .replace("\"visibility\":\"public\"", "\"visibility\":\"private\"");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200,
                "[" + shared + "," + CARD + "," + own + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models/fraud")), 200, shared);
        String list = given().when().get("/t/acme/models").then().statusCode(200).extract().asString();
        assertTrue(row(list, "fraud").contains("<td class=\"model-visibility\">shared with this tenant</td>"));
        assertTrue(row(list, "iris").contains("<td class=\"model-visibility\">public</td>"));
        assertTrue(row(list, "churn").contains("<td class=\"model-visibility\">private</td>"));
        given().when().get("/t/acme/models/fraud").then().statusCode(200)
                .body(containsString(
                        "<span id=\"model-visibility\">shared with this tenant</span> · latest version 2"));
        given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("<span id=\"model-visibility\">public model</span> · latest version 2"));
    }

    private static String row(String page, String model) {
        int from = page.indexOf("<tr data-model=\"" + model + "\">");
        assertTrue(from >= 0, "no row of " + model);
        return page.substring(from, page.indexOf("</tr>", from));
    }
}
