package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.matchesPattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelsResourceTest {

    static final String W1 = "aaaaaaaa-0000-0000-0000-000000000001";
    static final String W2 = "aaaaaaaa-0000-0000-0000-000000000002";
    static final String V2 = """
            {"id":"bbbbbbbb-0000-0000-0000-000000000002","model":"resnet","version":2,"status":"ready",
             "status_reason":null,"sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
             "size_bytes":3145728,
             "signature":{"inputs":[{"name":"x","datatype":"FP32","shape":[-1,4]}],
                          "outputs":[{"name":"y","datatype":"FP32","shape":[-1,3]}],
                          "omitted_outputs":[{"name":"p","kind":"a sequence of maps from string to float"}]},
             "warmup":{"status":"zeros"},"example":null,"created_at":"2026-03-01T12:00:00Z","retired_at":null,
             "placements":[
               {"worker_id":"%s","worker_name":"w-cpu","worker_url":"http://w1","worker_status":"UP","state":"READY",
                "reason":null,"updated_at":"2026-03-01T12:00:05Z"},
               {"worker_id":"%s","worker_name":"w-gpu","worker_url":"http://w2","worker_status":"UP","state":"FAILED",
                "reason":"CUDA out of memory","updated_at":"2026-03-01T12:00:06Z"}]}""".formatted(W1, W2);
    static final String V1 = """
            {"id":"bbbbbbbb-0000-0000-0000-000000000001","model":"resnet","version":1,"status":"retired",
             "sha256":"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210","size_bytes":512,
             "signature":{"inputs":[],"outputs":[]},"warmup":{"status":"skipped","reason":"zeros refused"},
             "created_at":"2026-02-01T12:00:00Z","retired_at":"2026-03-02T00:00:00Z","placements":[]}""";
    static final String RESNET = """
            {"id":"cccccccc-0000-0000-0000-000000000001","name":"resnet","description":"Image classes",
             "visibility":"public","owner_tenant":null,"created_at":"2026-02-01T00:00:00Z",
             "updated_at":"2026-03-01T00:00:00Z","versions":[%s,%s]}""".formatted(V1, V2);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private void admin() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/models")), 200, """
                [{"id":"cccccccc-0000-0000-0000-000000000001","name":"resnet","description":"Image classes",
                  "visibility":"public","owner_tenant":null,"latest_version":2,"created_at":"2026-02-01T00:00:00Z"},
                 {"id":"cccccccc-0000-0000-0000-000000000002","name":"acme-private","description":null,
                  "visibility":"private","owner_tenant":"acme","latest_version":null,"created_at":"2026-02-01T00:00:00Z"}]""");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/models/resnet")), 200, RESNET);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, """
                [{"slug":"acme","name":"Acme Corp","status":"active"}]""");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void listShowsModelsAndACreateFormWithTheTenantsAsOwners() {
        admin();
        given().when().get("/admin/models")
                .then().statusCode(200)
                .body(containsString("id=\"models\""))
                .body(containsString("<a class=\"model-link\" href=\"/admin/models/resnet\">resnet</a>"))
                .body(containsString("(owned by <a href=\"/admin/tenants/acme\">acme</a>)"))
                .body(containsString("id=\"create-model\""))
                .body(containsString("<option value=\"acme\" >Acme Corp (acme)</option>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void creatingAPrivateModelNamesItsOwner() {
        admin();
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/models")), 201, """
                {"id":"cccccccc-0000-0000-0000-000000000003","name":"acme-fraud","visibility":"private",
                 "owner_tenant":"acme","versions":[]}""");
        Csrf csrf = Csrf.from("/admin/models");
        csrf.form().formParam("name", "acme-fraud").formParam("description", "Fraud scores")
                .formParam("visibility", "private").formParam("owner_tenant", "acme")
                .when().post("/admin/models")
                .then().statusCode(303).header("Location", endsWith("/admin/models/acme-fraud"));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/models")).withRequestBody(equalToJson("""
                {"name":"acme-fraud","description":"Fraud scores","visibility":"private","owner_tenant":"acme"}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedModelIsShownInline() {
        admin();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/models")), 400, "owner_tenant_required",
                "A private model needs owner_tenant");
        Csrf csrf = Csrf.from("/admin/models");
        csrf.form().formParam("name", "lonely").formParam("visibility", "private").formParam("owner_tenant", "")
                .when().post("/admin/models")
                .then().statusCode(400)
                .body(containsString("id=\"create-model-error\">A private model needs owner_tenant</p>"))
                .body(containsString("value=\"lonely\""))
                .body(containsString("<option value=\"private\" selected>"));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/models")).withRequestBody(equalToJson("""
                {"name":"lonely","visibility":"private"}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void detailShowsEachVersionWithItsStateOnEachWorker() {
        admin();
        given().when().get("/admin/models/resnet")
                .then().statusCode(200)
                .body(containsString("id=\"upload-version\""))
                .body(containsString("<input id=\"version-file\""))
                .body(containsString("<progress id=\"upload-progress\""))
                .body(containsString("id=\"upload-result\""))
                .body(containsString("<table id=\"versions\""))
                .body(containsString("<tr data-version=\"2\">"))
                .body(containsString("<span class=\"version-status badge ready\">ready</span>"))
                .body(containsString("<span class=\"version-status badge retired\">retired</span>"))
                .body(containsString("<code title=\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\">0123456789ab</code>"))
                .body(containsString("3.0 MB"))
                .body(containsString("in: x FP32 [-1, 4] → out: y FP32 [-1, 3] (not served: p, a sequence of maps from"
                        + " string to float)"))
                .body(containsString("<th scope=\"col\" data-worker-id=\"" + W1 + "\">On w-cpu</th>"))
                .body(containsString("<span class=\"placement-state badge READY\">READY</span>"))
                .body(containsString("<span class=\"placement-state badge FAILED\">FAILED</span> <span class=\"placement-reason muted\">CUDA out of memory</span>"))
                .body(containsString("aria-label=\"Retire version 2\""))
                // a retired version has no retire button
                .body(not(containsString("aria-label=\"Retire version 1\"")))
                .body(containsString("<script src=\"/admin-models.js\" defer></script>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theSettingsFormShowsTheModelAsItIs() {
        admin();
        given().when().get("/admin/models/resnet")
                .then().statusCode(200)
                .body(containsString("<form id=\"edit-model\" method=\"post\" action=\"/admin/models/resnet/settings\">"))
                .body(containsString("<textarea id=\"edit-description\" name=\"description\" rows=\"2\" maxlength=\"2000\">Image classes</textarea>"))
                .body(containsString("<option value=\"public\" selected>public (every tenant)</option>"))
                .body(containsString("<option value=\"acme\" >Acme Corp (acme)</option>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void savingTheSettingsSendsEveryFieldAndShowsTheModelAgain() {
        admin();
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/models/resnet")), 200, RESNET);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("description", " Image classes, v2 ").formParam("visibility", "private")
                .formParam("owner_tenant", "acme")
                .when().post("/admin/models/resnet/settings")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet"));
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/models/resnet")).withRequestBody(equalToJson("""
                {"description":"Image classes, v2","visibility":"private","owner_tenant":"acme"}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void refusedSettingsAreShownInlineWithWhatWasTyped() {
        admin();
        PlatformApiStub.problem(api, patch(urlPathEqualTo("/admin/v1/models/resnet")), 400, "owner_tenant_required",
                "A private model needs an owner_tenant");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("description", "Typed words").formParam("visibility", "private")
                .formParam("owner_tenant", "")
                .when().post("/admin/models/resnet/settings")
                .then().statusCode(400)
                .body(containsString("id=\"edit-model-error\">A private model needs an owner_tenant</p>"))
                .body(containsString(">Typed words</textarea>"))
                .body(containsString("<option value=\"private\" selected>private (one tenant)</option>"));
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/models/resnet")).withRequestBody(equalToJson("""
                {"description":"Typed words","visibility":"private","owner_tenant":""}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void thePolledFragmentIsTheVersionsTableAlone() {
        admin();
        given().when().get("/admin/models/resnet/versions")
                .then().statusCode(200)
                .body(matchesPattern("(?s)\\s*<table id=\"versions\".*</table>\\s*"))
                .body(containsString("<span class=\"placement-state badge READY\">READY</span>"))
                .body(not(containsString("<html")))
                .body(not(containsString("upload-version")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUploadIsStreamedThroughUnchangedAndAnsweredWithTheVersion() {
        admin();
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/models/resnet/versions")), 201, V2);
        byte[] file = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(file);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.script().contentType("application/octet-stream").accept("application/json").body(file)
                .when().post("/admin/models/resnet/versions")
                .then().statusCode(201)
                .contentType(containsString("application/json"))
                .body("version", equalTo(2))
                .body("status", equalTo("ready"))
                .body("signature.inputs[0].name", equalTo("x"))
                .body("warmup.status", equalTo("zeros"));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/models/resnet/versions"))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/octet-stream"))
                .withHeader("Content-Length", com.github.tomakehurst.wiremock.client.WireMock.equalTo(String.valueOf(file.length)))
                .withRequestBody(binaryEqualTo(file)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedUploadAnswersTheReasonAsJson() {
        admin();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/models/resnet/versions")), 400, "invalid_model",
                "Not a loadable ONNX model: protobuf parsing failed");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.script().contentType("application/octet-stream").accept("application/json").body(new byte[] {1, 2, 3})
                .when().post("/admin/models/resnet/versions")
                .then().statusCode(400)
                .contentType(containsString("application/json"))
                .body("code", equalTo("invalid_model"))
                .body("message", equalTo("Not a loadable ONNX model: protobuf parsing failed"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUploadWithoutTheCsrfTokenIsRefused() {
        admin();
        given().redirects().follow(false).header("X-Requested-With", "JavaScript")
                .contentType("application/octet-stream").body(new byte[] {1, 2, 3})
                .when().post("/admin/models/resnet/versions")
                .then().statusCode(400);
        api.verify(0, postRequestedFor(urlPathEqualTo("/admin/v1/models/resnet/versions")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void retiringDeletesTheVersion() {
        admin();
        api.stubFor(delete(urlPathEqualTo("/admin/v1/models/resnet/versions/2"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().when().post("/admin/models/resnet/versions/2/retire")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet"));
        api.verify(deleteRequestedFor(urlPathEqualTo("/admin/v1/models/resnet/versions/2")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void deletingTheModelAsksFirstAndTheListSaysItIsDeleted() {
        admin();
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("action=\"/admin/models/resnet/delete\""))
                .body(containsString("data-confirm=\"Delete resnet?"))
                .body(containsString("id=\"delete-model\""));
        api.stubFor(delete(urlPathEqualTo("/admin/v1/models/resnet"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().when().post("/admin/models/resnet/delete")
                .then().statusCode(303).header("Location", endsWith("/admin/models?deleted=resnet"));
        api.verify(deleteRequestedFor(urlPathEqualTo("/admin/v1/models/resnet")));
        given().when().get("/admin/models?deleted=resnet").then().statusCode(200)
                .body(containsString("<p class=\"notice\" role=\"status\" id=\"model-deleted\">Model resnet is deleted"));
        given().when().get("/admin/models").then().statusCode(200).body(not(containsString("id=\"model-deleted\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndCannotUpload() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/models/resnet")), 200, RESNET);
        for (String page : new String[] {"/admin/models", "/admin/models/resnet"}) {
            given().when().get(page)
                    .then().statusCode(403)
                    .body(containsString("id=\"forbidden\""))
                    .body(not(containsString("resnet")))
                    .body(not(containsString("0123456789ab")));
        }
        Csrf csrf = Csrf.fabricated();
        csrf.script().contentType("application/octet-stream").body(new byte[] {1, 2, 3})
                .when().post("/admin/models/resnet/versions")
                .then().statusCode(403);
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }
}
