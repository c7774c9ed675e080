package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminModelRolloutTest.card;
import static io.aiaas.console.admin.AdminModelRolloutTest.element;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The access section of the admin model page: who may call the model, the tenants it is shared with, the grant form
 * that PUTs a grant (offering neither the owner, nor closed tenants, nor those granted already), the revoke buttons
 * that DELETE one, refusals beside the form or the button with the tenant still chosen.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelGrantsTest {

    static final String GLOBEX = """
            {"tenant":"globex","tenant_name":"Globex Inc","granted_at":"2026-12-01T10:00:00Z",
             "granted_by":"admin@aiaas.test"}""";
    static final String HOOLI = """
            {"tenant":"hooli","tenant_name":"Hooli","granted_at":"2026-12-02T08:30:15Z",
             "granted_by":"ops@aiaas.test"}""";
    /** acme (the private model's owner), globex (granted), hooli (suspended), initech, umbrella (closed). */
    static final String TENANTS = """
            [{"slug":"acme","name":"Acme Corp","status":"active"},
             {"slug":"globex","name":"Globex Inc","status":"active"},
             {"slug":"hooli","name":"Hooli","status":"suspended"},
             {"slug":"initech","name":"Initech","status":"active"},
             {"slug":"umbrella","name":"Umbrella","status":"closed","closed_at":"2026-11-01T00:00:00Z"}]""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    /** resnet's card, public or private to acme, with these grants (each a grant's JSON). */
    static String shared(boolean isPrivate, String... grants) {
        String card = card(null);
        if (isPrivate) {
            card = card.replace("\"visibility\":\"public\",\"owner_tenant\":null",
                    "\"visibility\":\"private\",\"owner_tenant\":\"acme\"");
        }
        return card.substring(0, card.lastIndexOf('}')) + ",\"grants\":[" + String.join(",", grants) + "]}";
    }

    /** resnet's page: that card, and the tenants {@link #TENANTS} (or that list's JSON). */
    private void admin(String card, String tenants) {
        AdminModelRolloutTest.stubModelPage(api, card);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, tenants == null ? TENANTS : tenants);
    }

    private static String section(String page) {
        return element(page, "<section class=\"card\" id=\"grants-section\"", "</section>");
    }

    private static String select(String page) {
        return element(page, "<select id=\"grant-tenant\"", "</select>");
    }

    private static String row(String page, String tenant) {
        return element(page, "<tr data-tenant=\"" + tenant + "\">", "</tr>");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPublicModelWithoutGrantsIsForEveryTenantAndOffersEveryOpenTenant() {
        admin(shared(false), null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        String section = section(page);
        assertThat(section, containsString("<h2 id=\"grants-heading\">Access</h2>"));
        assertThat(section, containsString("<p id=\"grants-who\">Public: every tenant may call it.</p>"));
        assertThat(section, containsString("<p class=\"muted\" id=\"grants-none\">Not shared with any tenant.</p>"));
        assertThat(section, not(containsString("grants-public-notice")));
        assertThat(section, not(containsString("<table id=\"grants\"")));
        assertThat(section, containsString(
                "<form id=\"grant-form\" method=\"post\" action=\"/admin/models/resnet/grants\">"));
        assertThat(section, containsString("name=\"csrf-token\""));
        assertThat(section, containsString(
                "<button class=\"primary\" id=\"grant-submit\" type=\"submit\">Share</button>"));
        String select = select(page);
        assertThat(select, containsString("name=\"tenant\""));
        assertThat(select, containsString("<option value=\"\">Choose a tenant</option>"));
        // no owner: every tenant that is not closed, suspended ones too
        assertThat(select, containsString("<option value=\"acme\">Acme Corp (acme)</option>"));
        assertThat(select, containsString("<option value=\"globex\">Globex Inc (globex)</option>"));
        assertThat(select, containsString("<option value=\"hooli\">Hooli (hooli)</option>"));
        assertThat(select, containsString("<option value=\"initech\">Initech (initech)</option>"));
        assertThat(select, not(containsString("umbrella")));
        assertThat(select, not(containsString("selected")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void grantsOfAPublicModelAreListedWithANoticeThatTheyHaveNoEffect() {
        admin(shared(false, GLOBEX), null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        String section = section(page);
        assertThat(section, containsString("<p id=\"grants-who\">Public: every tenant may call it.</p>"));
        assertThat(section, containsString("<p class=\"notice\" role=\"status\" id=\"grants-public-notice\">The"
                + " model is public, so every tenant may call it and these grants have no effect now. They take"
                + " effect if it is made private.</p>"));
        assertThat(section, containsString("<table id=\"grants\""));
        assertThat(row(page, "globex"), containsString("Globex Inc"));
        assertThat(select(page), not(containsString("globex")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPrivateModelNamesItsOwnerAndListsItsGrantsEachWithARevokeButton() {
        admin(shared(true, GLOBEX, HOOLI), null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        String section = section(page);
        assertThat(section, containsString("<p id=\"grants-who\">Private: only its owner, acme, and the tenants listed"
                + " below may call it; every other tenant gets 404.</p>"));
        assertThat(section, not(containsString("grants-public-notice")));
        assertThat(section, not(containsString("grants-none")));
        String globex = row(page, "globex");
        assertThat(globex, containsString("<a href=\"/admin/tenants/globex\">globex</a> <span class=\"muted\">Globex"
                + " Inc</span>"));
        assertThat(globex, containsString("<time datetime=\"2026-12-01T10:00:00Z\">2026-12-01 10:00 UTC</time>"));
        assertThat(globex, containsString("<td>admin@aiaas.test</td>"));
        assertThat(globex, containsString("<form class=\"inline\" id=\"revoke-grant-globex\" method=\"post\""
                + " action=\"/admin/models/resnet/grants/globex/revoke\""));
        assertThat(globex, containsString("name=\"csrf-token\""));
        assertThat(globex, containsString("id=\"revoke-grant-globex-submit\" type=\"submit\""));
        assertThat(globex, containsString(">Revoke</button>"));
        assertThat(row(page, "hooli"), containsString("2026-12-02 08:30:15 UTC</time>"));
        assertThat(row(page, "hooli"), containsString("<td>ops@aiaas.test</td>"));
        // sorted by slug, as platform-api gives them
        assertThat(page.indexOf("data-tenant=\"globex\"") < page.indexOf("data-tenant=\"hooli\""),
                is(true));
        // neither the owner, nor the granted, nor the closed
        String select = select(page);
        assertThat(select, containsString("<option value=\"initech\">Initech (initech)</option>"));
        assertThat(select, not(containsString("acme")));
        assertThat(select, not(containsString("globex")));
        assertThat(select, not(containsString("hooli")));
        assertThat(select, not(containsString("umbrella")));
        assertThat(section, not(containsString("grant-no-choice")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPrivateModelWithoutGrantsIsItsOwnersOnly() {
        admin(shared(true), null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        assertThat(section(page), containsString("<p id=\"grants-who\">Private: only its owner, acme, may call it;"
                + " every other tenant gets 404.</p>"));
        assertThat(section(page), containsString("id=\"grants-none\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withNoTenantLeftToOfferTheFormSaysSo() {
        admin(shared(true, GLOBEX), """
                [{"slug":"acme","name":"Acme Corp","status":"active"},
                 {"slug":"globex","name":"Globex Inc","status":"active"}]""");
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        assertThat(select(page), not(containsString("<option value=\"acme\"")));
        assertThat(section(page), containsString("id=\"grant-no-choice\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void grantingPutsTheGrantAtTheTenantsPathAndComesBackAtTheSection() {
        admin(shared(true), null);
        PlatformApiStub.json(api, put(urlPathEqualTo("/admin/v1/models/resnet/grants/initech")), 200,
                shared(true, GLOBEX));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("tenant", " initech ")
                .when().post("/admin/models/resnet/grants")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#grants-section"));
        api.verify(1, putRequestedFor(urlPathEqualTo("/admin/v1/models/resnet/grants/initech")));
        api.verify(1, putRequestedFor(urlPathMatching(".*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void revokingDeletesTheGrantAndComesBackAtTheSection() {
        admin(shared(true, GLOBEX), null);
        api.stubFor(delete(urlPathEqualTo("/admin/v1/models/resnet/grants/globex"))
                .willReturn(aResponse().withStatus(204)));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().when().post("/admin/models/resnet/grants/globex/revoke")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#grants-section"));
        api.verify(1, deleteRequestedFor(urlPathEqualTo("/admin/v1/models/resnet/grants/globex")));
        api.verify(0, putRequestedFor(urlPathMatching(".*")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "400 | invalid_grant    | acme     | Tenant 'acme' owns model 'resnet'; it needs no grant | Acme Corp (acme)",
        "400 | invalid_grant    | umbrella | Tenant 'umbrella' is closed                  | Umbrella (umbrella)",
        "404 | tenant_not_found | ghost    | No tenant 'ghost'                            | ghost"})
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusalIsShownBesideTheFormWithTheTenantStillChosen(int status, String code, String tenant, String detail,
            String label) {
        admin(shared(true, GLOBEX), null);
        PlatformApiStub.problem(api, put(urlPathEqualTo("/admin/v1/models/resnet/grants/" + tenant)), status, code,
                detail);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("tenant", tenant)
                .when().post("/admin/models/resnet/grants")
                .then().statusCode(status).extract().asString();
        String section = section(page);
        assertThat(section, containsString("<p class=\"error\" role=\"alert\" id=\"grant-form-error\">"
                + detail.replace("'", "&#39;") + "</p>"));
        assertThat(select(page), containsString("<option value=\"" + tenant + "\" selected>" + label + "</option>"));
        // only the one chosen
        assertThat(select(page).split("selected", -1).length, is(2));
        // the rest of the page as it is
        assertThat(row(page, "globex"), not(containsString("error")));
        assertThat(page, not(containsString("id=\"edit-model-error\"")));
        api.verify(1, putRequestedFor(urlPathEqualTo("/admin/v1/models/resnet/grants/" + tenant)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void noTenantChosenIsRefusedBeforeTheCall() {
        admin(shared(true), null);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("tenant", "  ")
                .when().post("/admin/models/resnet/grants")
                .then().statusCode(400).extract().asString();
        assertThat(section(page), containsString("id=\"grant-form-error\">Choose the tenant to share the model"
                + " with.</p>"));
        assertThat(select(page), containsString("aria-invalid=\"true\" aria-describedby=\"grant-tenant-error\""));
        assertThat(section(page), containsString("<div class=\"field-error\" id=\"grant-tenant-error\">choose a"
                + " tenant</div>"));
        assertThat(select(page), not(containsString("selected")));
        api.verify(0, putRequestedFor(urlPathMatching(".*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedRevokeIsShownBesideItsButtonEvenWhenTheGrantIsGone() {
        admin(shared(true, GLOBEX), null);
        PlatformApiStub.problem(api, delete(urlPathEqualTo("/admin/v1/models/resnet/grants/ghost")), 404,
                "tenant_not_found", "No tenant 'ghost'");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().when().post("/admin/models/resnet/grants/ghost/revoke")
                .then().statusCode(404).extract().asString();
        String ghost = row(page, "ghost");
        assertThat(ghost, containsString("Not among the tenants the model is shared with."));
        assertThat(ghost, containsString("<p class=\"error\" role=\"alert\" id=\"revoke-grant-ghost-error\">No tenant"
                + " &#39;ghost&#39;</p>"));
        assertThat(row(page, "globex"), not(containsString("error")));
        assertThat(section(page), not(containsString("id=\"grant-form-error\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnknownModelIsTheNotFoundPage() {
        admin(shared(true), null);
        PlatformApiStub.problem(api, put(urlPathEqualTo("/admin/v1/models/gone/grants/initech")), 404,
                "model_not_found", "No model 'gone'");
        PlatformApiStub.problem(api, delete(urlPathEqualTo("/admin/v1/models/gone/grants/initech")), 404,
                "model_not_found", "No model 'gone'");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("tenant", "initech").when().post("/admin/models/gone/grants")
                .then().statusCode(404).body(not(containsString("grant-form-error")));
        csrf.form().when().post("/admin/models/gone/grants/initech/revoke")
                .then().statusCode(404).body(not(containsString("revoke-grant-initech-error")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void tenantNamesAndWhatWasChosenAreEscaped() {
        String evil = "<script>alert('x')</script> & <b>bold</b>";
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;";
        admin(shared(true, """
                {"tenant":"globex","tenant_name":"<script>alert('x')</script> & <b>bold</b>",
                 "granted_at":"2026-12-01T10:00:00Z","granted_by":"<i>someone</i>"}"""), """
                [{"slug":"acme","name":"Acme Corp","status":"active"},
                 {"slug":"initech","name":"<script>alert('x')</script> & <b>bold</b>","status":"active"}]""");
        PlatformApiStub.problem(api, put(urlPathMatching("/admin/v1/models/resnet/grants/.*")), 404,
                "tenant_not_found", "No tenant '<b>x</b>'");
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        assertThat(row(page, "globex"), containsString("<span class=\"muted\">" + escaped + "</span>"));
        assertThat(row(page, "globex"), containsString("<td>&lt;i&gt;someone&lt;/i&gt;</td>"));
        assertThat(select(page), containsString("<option value=\"initech\">" + escaped + " (initech)</option>"));
        assertThat(page, not(containsString("<script>alert")));
        assertThat(page, not(containsString("<b>bold")));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String refused = csrf.form().formParam("tenant", "\"><b>x</b>")
                .when().post("/admin/models/resnet/grants")
                .then().statusCode(404).extract().asString();
        assertThat(select(refused), containsString("<option value=\"&quot;&gt;&lt;b&gt;x&lt;/b&gt;\" selected>"
                + "&quot;&gt;&lt;b&gt;x&lt;/b&gt;</option>"));
        assertThat(refused, containsString("id=\"grant-form-error\">No tenant &#39;&lt;b&gt;x&lt;/b&gt;&#39;</p>"));
        assertThat(refused, not(containsString("<b>x</b>")));
        assertThat(refused, not(containsString("<script>alert")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        admin(shared(true, GLOBEX), null);
        given().redirects().follow(false).formParam("tenant", "initech")
                .when().post("/admin/models/resnet/grants")
                .then().statusCode(400);
        given().redirects().follow(false).formParam("x", "y")
                .when().post("/admin/models/resnet/grants/globex/revoke")
                .then().statusCode(400);
        api.verify(0, putRequestedFor(urlPathMatching(".*")));
        api.verify(0, deleteRequestedFor(urlPathMatching(".*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndChangesNoGrant() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf csrf = Csrf.fabricated();
        csrf.form().formParam("tenant", "acme").when().post("/admin/models/resnet/grants")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().when().post("/admin/models/resnet/grants/globex/revoke")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void thePolledVersionsTableLeavesTheSectionOut() {
        admin(shared(true, GLOBEX), null);
        given().when().get("/admin/models/resnet/versions").then().statusCode(200)
                .body(not(containsString("grants-section")));
    }
}
