package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deprecated version on the tenant's model pages: the notice on the card (when it is retired, the version to use
 * instead, the operator's note, the headers calls get), the warning when the tenant's pin names it, the mark in the
 * list; none of it for a model without a deprecated version.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class ModelDeprecationTest {

    static final String CARD_API = "/api/v1/tenants/acme/models/iris";
    static final String SETTINGS_API = CARD_API + "/settings";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
    }

    /** iris's card (versions 1 and 2) with version 1 deprecated as that JSON. */
    private static String card(String deprecation) {
        String card = ModelsResourceTest.CARD.replace("\"example\":null}", "\"example\":null,\"deprecation\":"
                + deprecation + "}");
        if (card.equals(ModelsResourceTest.CARD)) {
            throw new AssertionError("version 1 not found in the card");
        }
        return card;
    }

    private static String deprecation(String successor, String note) {
        return """
                {"deprecated_at":"2026-12-01T10:00:00Z","sunset_at":"2027-01-31T00:00:00Z","successor":%s,"note":%s}"""
                .formatted(successor, note);
    }

    private void pin(String version) {
        PlatformApiStub.json(api, get(urlPathEqualTo(SETTINGS_API)), 200, """
                {"model":"iris","version":%s,"serving_version":1,"ready":true}""".formatted(version));
    }

    /** The notice of that version, tags removed and spaces collapsed. */
    private static String notice(String html, int version) {
        int start = html.indexOf("<div class=\"notice deprecation\" role=\"status\" id=\"deprecation-" + version
                + "\"");
        if (start < 0) {
            throw new AssertionError("no notice for version " + version + " in " + html);
        }
        return html.substring(start, html.indexOf("</div>", start)).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ")
                .trim();
    }

    @Test
    @TestSecurity(user = "alice")
    void aDeprecatedVersionHasANoticeWithItsSunsetSuccessorAndNote() {
        PlatformApiStub.json(api, get(urlPathEqualTo(CARD_API)), 200,
                card(deprecation("2", "\"Version 2 is more accurate\"")));
        pin("\"latest\"");
        String html = given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("<div class=\"notice deprecation\" role=\"status\" id=\"deprecation-1\""
                        + " data-version=\"1\" data-sunset-at=\"2027-01-31T00:00:00Z\">"))
                .body(containsString("<p class=\"deprecation-note\" id=\"deprecation-note-1\">Version 2 is more"
                        + " accurate</p>"))
                .body(containsString("<td class=\"num\">1 <span class=\"badge deprecated\" title=\"retired on"
                        + " 2027-01-31 00:00 UTC\">deprecated</span></td>"))
                .body(containsString("<td class=\"num\">2</td>"))
                .body(containsString("<option value=\"1\" >1 (deprecated)</option>"))
                .body(not(containsString("id=\"deprecation-2\"")))
                // following the latest: nothing about a pin
                .body(not(containsString("deprecation-pin")))
                .extract().asString();
        String notice = notice(html, 1);
        assertThat(notice, containsString("Version 1 is deprecated and will be retired on 2027-01-31 00:00 UTC. Use"
                + " version 2 instead."));
        assertThat(notice, containsString("Until then, calls that name version 1, or that reach it through this"
                + " tenant's pin, are answered with the Deprecation and Sunset headers."));
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutASuccessorOrNoteTheNoticeSaysOnlyWhen() {
        PlatformApiStub.json(api, get(urlPathEqualTo(CARD_API)), 200, card(deprecation("null", "null")));
        pin("\"latest\"");
        String html = given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(not(containsString("deprecation-note")))
                .extract().asString();
        assertThat(notice(html, 1), containsString("Version 1 is deprecated and will be retired on 2027-01-31 00:00"
                + " UTC."));
        assertThat(notice(html, 1), not(containsString("instead")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPinToTheDeprecatedVersionIsSaidToStopWorkingAtSunset() {
        PlatformApiStub.json(api, get(urlPathEqualTo(CARD_API)), 200, card(deprecation("2", "null")));
        pin("1");
        String html = given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("<p class=\"deprecation-pin\" role=\"alert\" id=\"deprecation-pin-1\">"))
                .extract().asString();
        assertThat(notice(html, 1), containsString("This tenant pins version 1 for calls that name no version: the"
                + " pin stops working at the sunset, and those calls then fail with 503 pinned_version_unavailable. A"
                + " tenant admin can pin version 2 or follow the latest version before then"
                + " (PUT /api/v1/tenants/acme/models/iris/settings)."));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPinToAnotherVersionIsNotWarnedAbout() {
        PlatformApiStub.json(api, get(urlPathEqualTo(CARD_API)), 200, card(deprecation("2", "null")));
        pin("2");
        given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("id=\"deprecation-1\""))
                .body(not(containsString("deprecation-pin")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPinThatCannotBeReadLeavesTheWarningOutNotThePage() {
        PlatformApiStub.json(api, get(urlPathEqualTo(CARD_API)), 200, card(deprecation("2", "null")));
        PlatformApiStub.problem(api, get(urlPathEqualTo(SETTINGS_API)), 503, "unavailable", "try again");
        given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("id=\"deprecation-1\""))
                .body(not(containsString("deprecation-pin")));
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutADeprecatedVersionThereIsNoNoticeAndThePinIsNotAsked() {
        PlatformApiStub.json(api, get(urlPathEqualTo(CARD_API)), 200, ModelsResourceTest.CARD);
        pin("1");
        given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("<article id=\"model-card\">"))
                .body(not(containsString("deprecation")))
                .body(not(containsString("deprecated")));
        api.verify(0, getRequestedFor(urlPathEqualTo(SETTINGS_API)));
    }

    @Test
    @TestSecurity(user = "alice")
    void theNoteIsEscaped() {
        PlatformApiStub.json(api, get(urlPathEqualTo(CARD_API)), 200,
                card(deprecation("2", "\"<script>alert(1)</script> <img src=x onerror=alert(2)>\"")));
        pin("\"latest\"");
        given().when().get("/t/acme/models/iris").then().statusCode(200)
                .body(containsString("id=\"deprecation-note-1\">&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x"
                        + " onerror=alert(2)&gt;</p>"))
                .body(not(containsString("<script>alert")))
                .body(not(containsString("<img src=x")));
    }

    @Test
    @TestSecurity(user = "alice")
    void theListMarksTheDeprecatedVersion() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200,
                "[" + card(deprecation("2", "null")) + "]");
        String html = given().when().get("/t/acme/models").then().statusCode(200).extract().asString();
        assertThat(html, containsString("<div class=\"deprecation\" data-version=\"1\"><span class=\"badge"
                + " deprecated\">deprecated</span> Version 1 will be retired on 2027-01-31 00:00 UTC: use version"
                + " 2.</div>"));
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200,
                "[" + ModelsResourceTest.CARD + "]");
        given().when().get("/t/acme/models").then().statusCode(200).body(not(containsString("deprecat")));
        assertThat(api.findAll(getRequestedFor(urlPathEqualTo(SETTINGS_API))).size(), equalTo(0));
    }
}
