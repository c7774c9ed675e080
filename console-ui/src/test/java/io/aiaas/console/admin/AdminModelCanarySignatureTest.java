package io.aiaas.console.admin;

import static io.aiaas.console.admin.AdminModelRolloutTest.V3;
import static io.aiaas.console.admin.AdminModelRolloutTest.element;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warning of the rollout section when the canary's signature differs from that of the version the rest of the
 * calls go to: the calls the canary refuses with 400 do not count towards its automatic rollback.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelCanarySignatureTest {

    private static final String V2_INPUT = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,4]}";
    private static final String CANARY_3 = """
            {"stable_version":2,"canary_version":3,"canary_percent":10,"canary_by":"call",
             "rollback_error_percent":5,"rollback_window":100}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    /** resnet with version 1 retired, 2 ready and served, 3 ready with that input instead of 2's, and that rollout. */
    private void admin(String v3Input, String rollout) {
        String v3 = V3.replace(V2_INPUT, v3Input);
        AdminModelRolloutTest.stubModelPage(api, AdminModelRolloutTest.card(rollout, AdminModelsResourceTest.V1,
                AdminModelsResourceTest.V2, v3));
    }

    private static String page() {
        return given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aCanaryWithAnotherInputShapeIsWarnedOfAndTheCanarySelectPointsAtIt() {
        admin("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,8]}", CANARY_3);
        String page = page();
        assertThat(page, containsString("<p class=\"notice\" role=\"alert\" id=\"rollout-signature-warning\""
                + " data-canary=\"3\" data-other=\"2\">Version 3's inputs differ from version 2's"
                + " (input <code>x</code>: FP32 [-1, 8] vs FP32 [-1, 4]): clients' calls that fit version 2 may be"
                + " refused by the canary with 400, which the automatic rollback does not count.</p>"));
        assertThat(element(page, "<select id=\"rollout-canary\"", ">"),
                containsString("aria-describedby=\"rollout-signature-warning\""));
        assertThat(element(page, "id=\"rollout-section\"", "</section>"),
                containsString("id=\"rollout-signature-warning\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutAStableVersionTheCanaryIsComparedWithTheNewestServedVersion() {
        admin("{\"name\":\"x\",\"datatype\":\"FP16\",\"shape\":[-1,4]}", """
                {"stable_version":null,"canary_version":3,"canary_percent":10}""");
        assertThat(page(), containsString("data-canary=\"3\" data-other=\"2\">Version 3's inputs differ from version"
                + " 2's (input <code>x</code>: FP16 [-1, 4] vs FP32 [-1, 4]): "));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void matchingSignaturesOrNoCanaryAreNoWarning() {
        admin(V2_INPUT, CANARY_3);
        assertThat(page(), not(containsString("rollout-signature-warning")));
        String other = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,8]}";
        admin(other, "{\"stable_version\":2,\"canary_version\":null,\"canary_percent\":null}");
        assertThat(page(), not(containsString("rollout-signature-warning")));
        admin(other, null);
        assertThat(page(), not(containsString("rollout-signature-warning")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void namesInTheWarningAreEscaped() {
        admin("{\"name\":\"<b>x</b>\",\"datatype\":\"FP32\",\"shape\":[-1,4]}", CANARY_3);
        String warning = element(page(), "<p class=\"notice\" role=\"alert\" id=\"rollout-signature-warning\"", "</p>");
        assertThat(warning, containsString("(input <code>x</code> is missing; input <code>&lt;b&gt;x&lt;/b&gt;</code>"
                + " is new): "));
        assertThat(warning, not(containsString("<b>")));
    }
}
