package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enrolment tokens and worker identities on {@code /admin/workers}: listing, creating a token (shown once),
 * refusals beside the form, revoking a token, the identities' keys (age, rotations, a stuck rotation) and revoking an
 * identity behind its typed name; platform admins only.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminWorkerEnrolmentTest {

    static final String TOKENS = "/admin/v1/workers/enrolment-tokens";
    static final String IDENTITIES = "/admin/v1/workers/identities";
    static final String T_ACTIVE = "bbbbbbbb-0000-0000-0000-000000000001";
    static final String T_BOOT = "bbbbbbbb-0000-0000-0000-000000000002";
    static final String T_USED = "bbbbbbbb-0000-0000-0000-000000000003";
    static final String T_REVOKED = "bbbbbbbb-0000-0000-0000-000000000004";
    static final String I_OK = "cccccccc-0000-0000-0000-000000000001";
    static final String I_STUCK = "cccccccc-0000-0000-0000-000000000002";
    static final String I_ROTATING = "cccccccc-0000-0000-0000-000000000003";
    static final String I_REVOKED = "cccccccc-0000-0000-0000-000000000004";
    static final String SECRET = "aiaas_enrol_S3cr3tS3cr3tS3cr3tS3cr3tS3cr3t";
    static final String KID = "Xq3vA9kLmN0pQrStUvWxYz0123456789abcdefGHIJK";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private void admin() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/workers")), 200, "[]");
        PlatformApiStub.json(api, get(urlPathEqualTo(TOKENS)), 200, tokens());
        PlatformApiStub.json(api, get(urlPathEqualTo(IDENTITIES)), 200, identities());
    }

    private static String tokens() {
        return """
                [{"id":"%s","name":"gpu-7","uses_allowed":5,"uses":1,"expires_at":"2026-12-01T10:00:00Z","bootstrap":false,
                  "created_by":"admin@aiaas.test","created_at":"2026-12-01T09:00:00Z","revoked_at":null,"state":"active"},
                 {"id":"%s","name":"local","uses_allowed":null,"uses":3,"expires_at":null,"bootstrap":true,
                  "created_by":null,"created_at":"2026-11-01T00:00:00Z","revoked_at":null,"state":"active"},
                 {"id":"%s","name":"gpu-6","uses_allowed":1,"uses":1,"expires_at":"2026-11-20T10:00:00Z","bootstrap":false,
                  "created_by":"admin@aiaas.test","created_at":"2026-11-20T09:00:00Z","revoked_at":null,"state":"used_up"},
                 {"id":"%s","name":"leaked","uses_allowed":1,"uses":0,"expires_at":"2026-11-10T10:00:00Z","bootstrap":false,
                  "created_by":"admin@aiaas.test","created_at":"2026-11-10T09:00:00Z","revoked_at":"2026-11-10T09:30:00Z",
                  "state":"revoked"}]""".formatted(T_ACTIVE, T_BOOT, T_USED, T_REVOKED);
    }

    private static String ago(long amount, ChronoUnit unit) {
        return Instant.now().minus(amount, unit).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String identities() {
        return """
                [{"id":"%s","name":"gpu-7","enrolled_at":"2026-10-01T08:00:00Z","revoked_at":null,"enrolment_token_id":"%s",
                  "keys":[{"key_id":"%s","added_at":"%s","retired_at":null},
                          {"key_id":"old-1","added_at":"2026-10-01T08:00:00Z","retired_at":"2026-10-31T08:00:05Z"},
                          {"key_id":"old-2","added_at":"2026-10-31T08:00:00Z","retired_at":"2026-11-28T08:00:05Z"}]},
                 {"id":"%s","name":"gpu-8","enrolled_at":"2026-09-01T08:00:00Z","revoked_at":null,"enrolment_token_id":null,
                  "keys":[{"key_id":"stuck-old","added_at":"2026-09-01T08:00:00Z","retired_at":null},
                          {"key_id":"stuck-new","added_at":"%s","retired_at":null}]},
                 {"id":"%s","name":"gpu-9","enrolled_at":"2026-09-01T08:00:00Z","revoked_at":null,"enrolment_token_id":null,
                  "keys":[{"key_id":"rot-old","added_at":"2026-09-01T08:00:00Z","retired_at":null},
                          {"key_id":"rot-new","added_at":"%s","retired_at":null}]},
                 {"id":"%s","name":"lost-node","enrolled_at":"2026-08-01T08:00:00Z","revoked_at":"2026-11-15T12:00:00Z",
                  "enrolment_token_id":null,"keys":[{"key_id":"lost-key","added_at":"2026-08-01T08:00:00Z","retired_at":null}]}]
                """.formatted(I_OK, T_ACTIVE, KID, ago(3, ChronoUnit.DAYS), I_STUCK, ago(2, ChronoUnit.DAYS), I_ROTATING,
                ago(10, ChronoUnit.SECONDS), I_REVOKED);
    }

    private static String created() {
        return "{\"id\":\"bbbbbbbb-0000-0000-0000-000000000009\",\"name\":\"gpu-node-9\",\"token\":\"" + SECRET
                + "\",\"uses_allowed\":3,\"expires_at\":\"2026-12-03T09:00:00Z\"}";
    }

    /** The row of the table whose rows carry {@code attribute}="id". */
    private static String row(String html, String attribute, String id) {
        Matcher m = Pattern.compile("<tr " + attribute + "=\"" + Pattern.quote(id) + "\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), "row " + id + " in " + html);
        return m.group(1);
    }

    /** The text of the element with this id (tags inside stripped, spaces folded, entities read), or null. */
    private static String text(String html, String id) {
        Matcher m = Pattern.compile("<(\\w+)[^>]*\\sid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>",
                Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(2).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").replace("&#39;", "'")
                .replace("&quot;", "\"").replace("&amp;", "&").trim() : null;
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void tokensAreListedWithStateUsesExpiryAndCreatorAndOnlyActiveOnesCanBeRevoked() {
        admin();
        String html = given().when().get("/admin/workers").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<table id=\"enrolment-tokens\">"), html);

        String active = row(html, "data-token-id", T_ACTIVE);
        assertTrue(active.contains("<span class=\"token-state badge active\">active</span>"), active);
        assertTrue(active.contains("<td class=\"num token-uses\">1 of 5</td>"), active);
        assertTrue(active.contains(">2026-12-01 10:00</time>"), active);
        assertTrue(active.contains("admin@aiaas.test, <time datetime=\"2026-12-01T09:00:00Z\">2026-12-01 09:00</time>"),
                active);
        assertTrue(active.contains("<form id=\"revoke-token-" + T_ACTIVE + "\" class=\"inline\" method=\"post\""
                + " action=\"/admin/workers/enrolment-tokens/" + T_ACTIVE + "/revoke\""), active);
        assertTrue(active.contains("data-confirm=\"Revoke the enrolment token “gpu-7”?"), "asks first: " + active);

        String boot = row(html, "data-token-id", T_BOOT);
        assertTrue(boot.contains("<td class=\"num token-uses\">3</td>"), "no limit: the uses alone: " + boot);
        assertTrue(boot.contains("<td class=\"token-expires\">never</td>"), boot);
        assertTrue(boot.contains("token-bootstrap"), boot);

        String used = row(html, "data-token-id", T_USED);
        assertTrue(used.contains("<span class=\"token-state badge used_up\">used up</span>"), used);
        assertFalse(used.contains("revoke-token"), "nothing to revoke: " + used);
        String revoked = row(html, "data-token-id", T_REVOKED);
        assertTrue(revoked.contains("<span class=\"token-state badge revoked\">revoked</span>"), revoked);
        assertFalse(revoked.contains("revoke-token"), revoked);

        // the form as it opens: one worker, one hour
        assertTrue(html.contains("<input id=\"enrolment-token-uses\" name=\"uses\" type=\"number\" min=\"1\""
                + " max=\"10000\" step=\"1\" required value=\"1\""), html);
        assertTrue(html.contains("name=\"validity\" type=\"number\" min=\"1\" step=\"1\" required size=\"4\""
                + " value=\"1\""), html);
        assertTrue(html.contains("<option value=\"hours\" selected>hours</option>"), html);
        assertTrue(html.contains("<button id=\"create-enrolment-token-submit\""), html);
        assertFalse(html.contains("new-enrolment-token"), "no token shown on a plain GET");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aNewTokenIsShownOnceOnTheAnswerToThePostAndNeverAgain() {
        admin();
        PlatformApiStub.json(api, post(urlPathEqualTo(TOKENS)), 201, created());
        Response answer = Csrf.from("/admin/workers").form().formParam("name", " gpu-node-9 ")
                .formParam("uses", "3").formParam("validity", "2").formParam("validity_unit", "days")
                .when().post("/admin/workers/enrolment-tokens");
        assertEquals(200, answer.statusCode(), "the token is on this page: no redirect, no token in a URL");
        assertEquals("no-store", answer.header("Cache-Control"));
        String html = answer.asString();
        assertEquals(SECRET, text(html, "new-enrolment-token-secret"));
        assertTrue(html.contains("<button type=\"button\" id=\"copy-enrolment-token\""
                + " data-copy-target=\"new-enrolment-token-secret\">Copy</button>"), html);
        assertTrue(html.contains("this is the only time it is shown"), "the warning");
        String how = text(html, "new-enrolment-token-how");
        assertTrue(how.startsWith("Hand it to the new worker as AIAAS_WORKER_ENROLMENT_TOKEN"), how);
        assertTrue(how.endsWith("It lets 3 workers enrol until 2026-12-03 09:00."), how);

        api.verify(postRequestedFor(urlPathEqualTo(TOKENS)).withRequestBody(
                equalToJson("{\"name\":\"gpu-node-9\",\"uses\":3,\"expires_in_seconds\":172800}")));

        String again = given().when().get("/admin/workers").then().statusCode(200).extract().asString();
        assertFalse(again.contains(SECRET), "a reload does not show the token");
        assertFalse(again.contains("new-enrolment-token"), again);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theDefaultsAskForOneWorkerForOneHour() {
        admin();
        PlatformApiStub.json(api, post(urlPathEqualTo(TOKENS)), 201, created());
        Csrf.from("/admin/workers").form().formParam("name", "gpu-node-9").formParam("uses", "1")
                .formParam("validity", "1").formParam("validity_unit", "hours")
                .when().post("/admin/workers/enrolment-tokens").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo(TOKENS)).withRequestBody(
                equalToJson("{\"name\":\"gpu-node-9\",\"uses\":1,\"expires_in_seconds\":3600}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusalComesBackBesideTheFormWithWhatWasTyped() {
        admin();
        String detail = "expires_in_seconds may be at most 2592000 (aiaas.workers.enrolment.max-token-ttl)";
        PlatformApiStub.problem(api, post(urlPathEqualTo(TOKENS)), 400, "invalid_expiry", detail);
        String html = Csrf.from("/admin/workers").form().formParam("name", "gpu-node-9").formParam("uses", "4")
                .formParam("validity", "45").formParam("validity_unit", "days")
                .when().post("/admin/workers/enrolment-tokens").then().statusCode(400).extract().asString();
        assertEquals(detail, text(html, "create-enrolment-token-error"));
        assertTrue(html.contains("id=\"enrolment-token-name\" name=\"name\" required maxlength=\"100\""
                + " autocomplete=\"off\" value=\"gpu-node-9\""), html);
        assertTrue(html.contains("required value=\"4\""), "uses kept: " + html);
        assertTrue(html.contains("size=\"4\" value=\"45\""), "validity kept: " + html);
        assertTrue(html.contains("<option value=\"days\" selected>days</option>"), "unit kept: " + html);
        assertTrue(html.contains("id=\"enrolment-token-validity-error\""), "marked beside the validity: " + html);
        assertFalse(html.contains("new-enrolment-token"), "no token");
        assertTrue(html.contains("<table id=\"worker-identities\">"), "the rest of the page as before");
        api.verify(postRequestedFor(urlPathEqualTo(TOKENS)).withRequestBody(
                equalToJson("{\"name\":\"gpu-node-9\",\"uses\":4,\"expires_in_seconds\":3888000}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aValidationProblemPutsItsFieldErrorBesideTheInput() {
        admin();
        PlatformApiStub.invalid(api, post(urlPathEqualTo(TOKENS)), "name: must not be blank", "name",
                "must not be blank");
        String html = Csrf.from("/admin/workers").form().formParam("name", "x").formParam("uses", "1")
                .formParam("validity", "1").formParam("validity_unit", "hours")
                .when().post("/admin/workers/enrolment-tokens").then().statusCode(400).extract().asString();
        assertEquals("must not be blank", text(html, "enrolment-token-name-error"));
        assertTrue(text(html, "create-enrolment-token-error").startsWith("name: must not be blank"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void whatTheConsoleCanCheckIsRefusedWithoutAskingThePlatform() {
        admin();
        String html = Csrf.from("/admin/workers").form().formParam("name", "  ").formParam("uses", "0")
                .formParam("validity", "1.5").formParam("validity_unit", "hours")
                .when().post("/admin/workers/enrolment-tokens").then().statusCode(400).extract().asString();
        assertEquals("Check the fields marked below.", text(html, "create-enrolment-token-error"));
        assertEquals("give the token a name, e.g. the node it is for", text(html, "enrolment-token-name-error"));
        assertEquals("a whole number from 1 to 10,000", text(html, "enrolment-token-uses-error"));
        assertEquals("a whole number of hours or days, at least 1", text(html, "enrolment-token-validity-error"));
        assertTrue(html.contains("value=\"1.5\""), "kept: " + html);

        Csrf.from("/admin/workers").form().formParam("name", "n").formParam("uses", "10001")
                .formParam("validity", "1").formParam("validity_unit", "weeks")
                .when().post("/admin/workers/enrolment-tokens").then().statusCode(400);
        api.verify(0, postRequestedFor(urlPathEqualTo(TOKENS)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void revokingATokenDeletesItAndSaysSo() {
        admin();
        api.stubFor(delete(urlPathEqualTo(TOKENS + "/" + T_ACTIVE))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.noContent()));
        Csrf.from("/admin/workers").form().when().post("/admin/workers/enrolment-tokens/" + T_ACTIVE + "/revoke")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/workers?done=token-revoked#enrolment-tokens-section"));
        api.verify(deleteRequestedFor(urlPathEqualTo(TOKENS + "/" + T_ACTIVE)));

        String html = given().when().get("/admin/workers?done=token-revoked").then().statusCode(200).extract()
                .asString();
        assertTrue(text(html, "workers-done").startsWith("Enrolment token revoked: no worker can enrol with it"), html);
        assertFalse(given().when().get("/admin/workers?done=anything").asString().contains("workers-done"),
                "only the console's own notices");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTokenThatIsGoneIsSaidAboveTheTokens() {
        admin();
        PlatformApiStub.problem(api, delete(urlPathEqualTo(TOKENS + "/" + T_ACTIVE)), 404,
                "enrolment_token_not_found", "No enrolment token " + T_ACTIVE);
        String html = Csrf.from("/admin/workers").form()
                .when().post("/admin/workers/enrolment-tokens/" + T_ACTIVE + "/revoke")
                .then().statusCode(404).extract().asString();
        assertEquals("No enrolment token " + T_ACTIVE, text(html, "revoke-token-error"));
        assertTrue(html.contains("<table id=\"enrolment-tokens\">"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void identitiesShowTheirCurrentKeyItsAgeTheRotationsAndAStuckRotation() {
        admin();
        String html = given().when().get("/admin/workers").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<table id=\"worker-identities\">"), html);

        String ok = row(html, "data-identity-id", I_OK);
        assertTrue(ok.contains("<span class=\"identity-status badge active\">active</span>"), ok);
        assertTrue(ok.contains("<code title=\"" + KID + "\">Xq3vA9kLmN0p…</code>"),
                "shortened, whole in the title: " + ok);
        assertTrue(ok.contains(">added 3 d ago</span>"), ok);
        assertTrue(ok.contains("<td class=\"num identity-rotations\">2</td>"), ok);
        assertTrue(ok.contains("with “gpu-7”"), "the token it enrolled with: " + ok);
        assertFalse(ok.contains("identity-rotation-stuck"), ok);
        assertFalse(ok.contains("identity-rotating"), ok);
        assertTrue(ok.contains("<form id=\"revoke-identity-" + I_OK + "\""), ok);

        String stuck = row(html, "data-identity-id", I_STUCK);
        assertTrue(stuck.contains("<code title=\"stuck-new\">stuck-new</code>"), "the newest active key: " + stuck);
        assertTrue(stuck.contains(">added 2 d ago</span>"), stuck);
        assertTrue(stuck.contains("<td class=\"num identity-rotations\">0</td>"), stuck);
        assertTrue(stuck.contains("class=\"badge warning identity-rotation-stuck\""), stuck);
        assertTrue(stuck.contains(">2 active keys: rotation stuck</span>"), stuck);

        String rotating = row(html, "data-identity-id", I_ROTATING);
        assertFalse(rotating.contains("identity-rotation-stuck"), "seconds old: a rotation finishing: " + rotating);
        assertTrue(rotating.contains("identity-rotating"), rotating);

        String revoked = row(html, "data-identity-id", I_REVOKED);
        assertTrue(revoked.contains("<span class=\"identity-status badge revoked\">revoked</span>"), revoked);
        assertFalse(revoked.contains("revoke-identity"), "nothing to revoke: " + revoked);
        assertFalse(revoked.contains("identity-rotation-stuck"), revoked);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void revokingAnIdentityExplainsWhatItDoesAndNeedsItsNameTyped() {
        admin();
        String page = given().when().get("/admin/workers").asString();
        String ok = row(page, "data-identity-id", I_OK);
        assertTrue(ok.contains("<details class=\"revoke-identity\">"), "closed until asked for: " + ok);
        assertTrue(ok.contains("Revoking refuses this worker's tokens at once and removes its worker row"), ok);
        assertTrue(ok.contains("give it a new enrolment token and an empty identity directory"), ok);
        assertTrue(ok.contains("<input id=\"revoke-identity-" + I_OK + "-confirm\" name=\"confirm\" required"), ok);
        assertTrue(ok.contains("<button id=\"revoke-identity-" + I_OK + "-submit\""), ok);
        api.stubFor(delete(urlPathEqualTo(IDENTITIES + "/" + I_OK))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.noContent()));
        String path = "/admin/workers/identities/" + I_OK + "/revoke";

        String empty = Csrf.from("/admin/workers").form().formParam("confirm", " ").when().post(path)
                .then().statusCode(400).extract().asString();
        assertEquals("Type the worker's name, gpu-7, to revoke its identity.", text(empty, "revoke-identity-error"));

        String wrong = Csrf.from("/admin/workers").form().formParam("confirm", "gpu-8").when().post(path)
                .then().statusCode(400).extract().asString();
        assertEquals("“gpu-8” is not the worker's name, gpu-7: nothing was revoked.",
                text(wrong, "revoke-identity-error"));
        String row = row(wrong, "data-identity-id", I_OK);
        assertTrue(row.contains("<details class=\"revoke-identity\" open>"), "the step stays open: " + row);
        assertTrue(row.contains("value=\"gpu-8\" aria-invalid=\"true\""), "what was typed: " + row);
        assertFalse(row(wrong, "data-identity-id", I_STUCK).contains("value=\"gpu-8\""), "only on its own row");
        api.verify(0, deleteRequestedFor(urlPathMatching(IDENTITIES + "/.*")));

        Csrf.from("/admin/workers").form().formParam("confirm", " gpu-7 ").when().post(path)
                .then().statusCode(303)
                .header("Location", endsWith("/admin/workers?done=identity-revoked#worker-identities-section"));
        api.verify(1, deleteRequestedFor(urlPathEqualTo(IDENTITIES + "/" + I_OK)));
        String done = given().when().get("/admin/workers?done=identity-revoked").asString();
        assertTrue(text(done, "workers-done").startsWith("Worker identity revoked: its tokens are refused"), done);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anIdentityRevokedMeanwhileIsSaidAboveTheIdentities() {
        admin();
        PlatformApiStub.problem(api, delete(urlPathEqualTo(IDENTITIES + "/" + I_OK)), 404,
                "worker_identity_not_found", "No worker identity " + I_OK);
        String html = Csrf.from("/admin/workers").form().formParam("confirm", "gpu-7")
                .when().post("/admin/workers/identities/" + I_OK + "/revoke")
                .then().statusCode(404).extract().asString();
        assertEquals("No worker identity " + I_OK, text(html, "revoke-identity-error"));

        String unknown = "cccccccc-0000-0000-0000-0000000000ff";
        String gone = Csrf.from("/admin/workers").form().formParam("confirm", "gpu-7")
                .when().post("/admin/workers/identities/" + unknown + "/revoke")
                .then().statusCode(404).extract().asString();
        assertTrue(text(gone, "revoke-identity-error").startsWith("There is no worker identity " + unknown), gone);
        api.verify(0, deleteRequestedFor(urlPathEqualTo(IDENTITIES + "/" + unknown)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void listsThatCannotBeReadSayWhyWhileTheWorkersShow() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/workers")), 200, "[{\"id\":"
                + "\"aaaaaaaa-0000-0000-0000-000000000001\",\"name\":\"w-gpu\",\"url\":\"http://10.0.0.7:8090\","
                + "\"device\":\"cuda\",\"status\":\"UP\",\"outstanding\":0,\"placements\":[]}]");
        PlatformApiStub.problem(api, get(urlPathEqualTo(TOKENS)), 503, "unavailable", "database unavailable");
        PlatformApiStub.problem(api, get(urlPathEqualTo(IDENTITIES)), 503, "unavailable", "database unavailable");
        String html = given().when().get("/admin/workers").then().statusCode(200).extract().asString();
        assertTrue(html.contains("w-gpu"), html);
        assertEquals("The enrolment tokens could not be read: database unavailable",
                text(html, "enrolment-tokens-error"));
        assertEquals("The worker identities could not be read: database unavailable",
                text(html, "worker-identities-error"));
        assertTrue(html.contains("<form id=\"create-enrolment-token\""), "a token can still be created");
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageOnEveryRouteAndNoAdminCallIsMade() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo(TOKENS)), 200, tokens());
        PlatformApiStub.json(api, get(urlPathEqualTo(IDENTITIES)), 200, identities());
        PlatformApiStub.json(api, post(urlPathEqualTo(TOKENS)), 201, created());
        given().when().get("/admin/workers").then().statusCode(403);
        Csrf.fabricated().form().formParam("name", "mine").formParam("uses", "1").formParam("validity", "1")
                .formParam("validity_unit", "hours").when().post("/admin/workers/enrolment-tokens")
                .then().statusCode(403);
        Csrf.fabricated().form().when().post("/admin/workers/enrolment-tokens/" + T_ACTIVE + "/revoke")
                .then().statusCode(403);
        String html = Csrf.fabricated().form().formParam("confirm", "gpu-7")
                .when().post("/admin/workers/identities/" + I_OK + "/revoke")
                .then().statusCode(403).extract().asString();
        assertTrue(html.contains("id=\"forbidden\""), html);
        assertFalse(html.contains(SECRET));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }
}
