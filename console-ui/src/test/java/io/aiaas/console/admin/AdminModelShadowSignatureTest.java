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
 * The warning of the rollout section when the shadow's signature differs from that of the version that answers the
 * calls it gets copies of: those copies may be refused by the shadow with 400, which platform-api only counts as
 * {@code refused} in {@code aiaas_shadow_calls_total}.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelShadowSignatureTest {

    private static final String V2_INPUT = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,4]}";
    private static final String WIDE_INPUT = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,8]}";
    private static final String SHADOW_4 = """
            {"stable_version":2,"canary_version":null,"canary_percent":null,"shadow_version":4,"shadow_percent":25}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    /** Version 2 as JSON, renumbered (served like it), with that input instead of version 2's. */
    private static String version(int number, String input) {
        return V3.replace("\"version\":3", "\"version\":" + number)
                .replace("bbbbbbbb-0000-0000-0000-000000000003", "bbbbbbbb-0000-0000-0000-00000000000" + number)
                .replace(V2_INPUT, input);
    }

    /**
     * resnet with version 1 retired, 2 ready and served, 3 ready and served with {@code v3Input}, 4 ready and served
     * with {@code v4Input}, and that rollout (null: none).
     */
    private void admin(String v3Input, String v4Input, String rollout) {
        cards(version(3, v3Input), version(4, v4Input), rollout);
    }

    private void cards(String v3, String v4, String rollout) {
        AdminModelRolloutTest.stubModelPage(api, AdminModelRolloutTest.card(rollout, AdminModelsResourceTest.V1,
                AdminModelsResourceTest.V2, v3, v4));
    }

    private static String page() {
        return given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aShadowWithAnotherInputShapeIsWarnedOfAndTheShadowSelectPointsAtIt() {
        admin(V2_INPUT, WIDE_INPUT, SHADOW_4);
        String page = page();
        assertThat(page, containsString("<p class=\"notice\" role=\"alert\" id=\"rollout-shadow-signature-warning\""
                + " data-shadow=\"4\" data-other=\"2\">Version 4's inputs differ from version 2's"
                + " (input <code>x</code>: FP32 [-1, 8] vs FP32 [-1, 4]): copies of calls that fit version 2 may be"
                + " refused by the shadow (counted as <code>refused</code>).</p>"));
        assertThat(element(page, "<select id=\"rollout-shadow\"", ">"),
                containsString("aria-describedby=\"rollout-shadow-signature-warning\""));
        assertThat(element(page, "id=\"rollout-section\"", "</section>"),
                containsString("id=\"rollout-shadow-signature-warning\""));
        assertThat(page, not(containsString("id=\"rollout-signature-warning\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutAStableVersionTheShadowIsComparedWithTheNewestServedVersionTheCanaryAside() {
        // version 3, the canary, is newer and served and has the shadow's input: set aside, so 4 is compared with 2
        admin(WIDE_INPUT, WIDE_INPUT, """
                {"stable_version":null,"canary_version":3,"canary_percent":10,
                 "shadow_version":4,"shadow_percent":25}""");
        String page = page();
        assertThat(page, containsString("data-shadow=\"4\" data-other=\"2\">Version 4's inputs differ from version"
                + " 2's (input <code>x</code>: FP32 [-1, 8] vs FP32 [-1, 4]): copies of calls that fit version 2 may"
                + " be refused by the shadow"));
        // the canary's own warning compares it with 2 as well, the shadow aside
        assertThat(page, containsString("id=\"rollout-signature-warning\" data-canary=\"3\" data-other=\"2\">"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aShadowWhoseOutputsChangeIsSaidToBeCountedAsDiffers() {
        String y = "{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[-1,3]}";
        cards(version(3, V2_INPUT), version(4, V2_INPUT).replace(y, y.replace("FP32", "FP16")), SHADOW_4);
        String warning = element(page(), "id=\"rollout-shadow-signature-warning\"", "</p>");
        assertThat(warning, containsString(">Version 4's outputs differ from version 2's (output <code>y</code>:"
                + " FP16 [-1, 3] vs FP32 [-1, 3]): the shadow's answers to the copies are counted as"
                + " <code>differs</code>.</p>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void matchingSignaturesOrNoShadowAreNoWarning() {
        admin(WIDE_INPUT, V2_INPUT, SHADOW_4);
        assertThat(page(), not(containsString("rollout-shadow-signature-warning")));
        admin(V2_INPUT, WIDE_INPUT, "{\"stable_version\":2,\"canary_version\":null,\"canary_percent\":null}");
        assertThat(page(), not(containsString("rollout-shadow-signature-warning")));
        admin(V2_INPUT, WIDE_INPUT, null);
        assertThat(page(), not(containsString("rollout-shadow-signature-warning")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void namesInTheWarningAreEscaped() {
        admin(V2_INPUT, "{\"name\":\"<b>x</b>\",\"datatype\":\"FP32\",\"shape\":[-1,4]}", SHADOW_4);
        String warning = element(page(), "<p class=\"notice\" role=\"alert\" id=\"rollout-shadow-signature-warning\"",
                "</p>");
        assertThat(warning, containsString("(input <code>x</code> is missing; input <code>&lt;b&gt;x&lt;/b&gt;</code>"
                + " is new): "));
        assertThat(warning, not(containsString("<b>")));
    }
}
