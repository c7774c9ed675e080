package io.aiaas.platform.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.model.service.ModelSunsets;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A version's sunset: scheduled by an admin, announced in the answers of calls that chose the version (named, or
 * pinned by the tenant) and to every tenant that may call it by webhook, and carried out by the platform's own job at
 * its date; through the public APIs, with a fake worker running the model in ONNX Runtime.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ModelSunsetTest {

    private static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    Model v1;
    Model v2;
    String operator;
    FakeWorker worker;

    @BeforeEach
    void setUp() {
        v1 = fixtures.model("PUBLIC", null);
        v2 = fixtures.model(v1.name(), "PUBLIC", null, 2);
        operator = Tokens.admin();
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
    }

    private String sunsetPath(Model model, Object version) {
        return "/admin/v1/models/" + model.name() + "/versions/" + version + "/sunset";
    }

    private Response schedule(Model model, Object version, Map<String, Object> body) {
        return Api.as(operator).body(body).put(sunsetPath(model, version));
    }

    private static Map<String, Object> sunset(Instant at, Integer successor, String note) {
        Map<String, Object> body = new HashMap<>();
        body.put("sunset_at", at.toString());
        body.put("successor", successor);
        body.put("note", note);
        return body;
    }

    private Response infer(String key, String path) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post(path);
    }

    @Test
    void callsThatChoseADeprecatedVersionAreToldAndThePlatformRetiresItAtItsSunset() throws Exception {
        worker = FakeWorker.start().named("sunset-" + UUID.randomUUID().toString().substring(0, 8))
                .hold(v1.name(), 1, v1.file()).hold(v1.name(), 2, v2.file()).join();
        Tenant tenant = fixtures.tenant();
        String key = fixtures.key(tenant);
        String named = "/v2/models/" + v1.name() + "/versions/1/infer";
        String unnamed = "/v2/models/" + v1.name() + "/infer";
        // version 1 stays the one calls that name none get, so that it is deprecated under them too
        Api.as(operator).body(Map.of("stable_version", 1)).put("/admin/v1/models/" + v1.name() + "/rollout").then()
                .statusCode(200);
        infer(key, named).then().statusCode(200).header("Deprecation", nullValue()).header("Sunset", nullValue());

        Instant sunsetAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Response scheduled = schedule(v1, 1, sunset(sunsetAt, 2, "Version 2 is more accurate"));
        scheduled.then().statusCode(200).body("version", equalTo(1)).body("status", equalTo("ready"))
                .body("deprecation.sunset_at", equalTo(sunsetAt.toString()))
                .body("deprecation.successor", equalTo(2))
                .body("deprecation.note", equalTo("Version 2 is more accurate"));
        Instant deprecatedAt = Instant.parse(scheduled.path("deprecation.deprecated_at"));
        String httpDate = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC).format(sunsetAt);
        String successor = "</v2/models/" + v1.name() + "/versions/2>; rel=\"successor-version\"";

        // a call that names the version, and its metadata, are told; one that named none is not
        infer(key, named).then().statusCode(200).header("x-aiaas-model-version", "1")
                .header("Deprecation", "@" + deprecatedAt.getEpochSecond()).header("Sunset", httpDate)
                .header("Link", successor);
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + v1.name() + "/versions/1").then()
                .statusCode(200).header("Sunset", httpDate);
        infer(key, unnamed).then().statusCode(200).header("x-aiaas-model-version", "1")
                .header("Deprecation", nullValue()).header("Sunset", nullValue()).header("Link", nullValue());
        infer(key, "/v2/models/" + v1.name() + "/versions/2/infer").then().statusCode(200)
                .header("Deprecation", nullValue());

        // a tenant that pinned it is told on every call: its pin stops working at the sunset
        Tenant pinned = fixtures.tenant();
        String pinnedKey = fixtures.key(pinned);
        Api.as(Api.userOf(pinned.slug(), "admin").token()).body(Map.of("version", 1))
                .put("/api/v1/tenants/" + pinned.slug() + "/models/" + v1.name() + "/settings").then()
                .statusCode(200);
        infer(pinnedKey, unnamed).then().statusCode(200).header("Sunset", httpDate);

        // the model cards say so, to tenants and admins
        String member = Api.userOf(tenant.slug(), "member").token();
        Api.as(member).get("/api/v1/tenants/" + tenant.slug() + "/models/" + v1.name()).then().statusCode(200)
                .body("versions.find { it.version == 1 }.deprecation.sunset_at", equalTo(sunsetAt.toString()))
                .body("versions.find { it.version == 1 }.deprecation.successor", equalTo(2))
                .body("versions.find { it.version == 2 }.deprecation", nullValue());
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("versions.find { it.version == 1 }.deprecation.note", equalTo("Version 2 is more accurate"));

        // at the sunset the platform's job retires it: named calls 404, the rollout forgets it, the pin is refused
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                "RETIRED".equals(db.value("SELECT status FROM model_versions WHERE id = ?", v1.versionId())));
        Instant retiredAt = ((java.sql.Timestamp) db.value("SELECT retired_at FROM model_versions WHERE id = ?",
                v1.versionId())).toInstant();
        assertThat(!retiredAt.isBefore(sunsetAt), equalTo(true));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> infer(key, named).statusCode() == 404);
        infer(key, named).then().statusCode(404).body("error", containsString("no ready version 1"));
        infer(key, unnamed).then().statusCode(200).header("x-aiaas-model-version", "2")
                .header("Deprecation", nullValue());
        infer(pinnedKey, unnamed).then().statusCode(503).body("error", containsString("pinned"));
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("rollout.stable_version", nullValue())
                .body("versions.find { it.version == 1 }.status", equalTo("retired"));
        List<Map<String, Object>> audit = db.query("SELECT actor, actor_kind, details::text AS details FROM audit_log"
                + " WHERE action = 'model_version.retired' AND target_id = ?", v1.name() + "/1");
        assertThat(audit, hasSize(1));
        assertThat(audit.get(0).get("actor_kind"), equalTo("SYSTEM"));
        assertThat(JSON.readTree((String) audit.get(0).get("details")).path("reason").asText(), equalTo("sunset"));
        // retired: its sunset can be neither changed nor cancelled
        schedule(v1, 1, sunset(Instant.now().plusSeconds(60), null, null)).then().statusCode(409)
                .body("code", equalTo("version_retired"));
        Api.as(operator).delete(sunsetPath(v1, 1)).then().statusCode(409).body("code", equalTo("version_retired"));
    }

    @Test
    void aSunsetIsCheckedChangedAndCancelled() {
        Instant later = Instant.now().plus(30, ChronoUnit.DAYS);
        Map<String, Object> missing = sunset(later, null, null);
        missing.remove("sunset_at");
        schedule(v1, 1, missing).then().statusCode(400).body("code", equalTo("invalid_sunset"))
                .body("detail", containsString("sunset_at is required"));
        Map<String, Object> garbage = sunset(later, null, null);
        garbage.put("sunset_at", "next tuesday");
        schedule(v1, 1, garbage).then().statusCode(400).body("code", equalTo("invalid_sunset"))
                .body("detail", containsString("'next tuesday' is not an ISO-8601 instant"));
        Map<String, Object> local = sunset(later, null, null);
        local.put("sunset_at", "2030-01-31T00:00:00"); // no offset: which time zone is meant cannot be guessed
        schedule(v1, 1, local).then().statusCode(400).body("code", equalTo("invalid_sunset"));
        schedule(v1, 1, sunset(Instant.now().minusSeconds(1), null, null)).then().statusCode(400)
                .body("code", equalTo("invalid_sunset")).body("detail", containsString("not in the future"));
        schedule(v1, 1, sunset(Instant.now().plus(3700, ChronoUnit.DAYS), null, null)).then().statusCode(400)
                .body("code", equalTo("invalid_sunset")).body("detail", containsString("ten years"));
        schedule(v1, 1, sunset(later, null, "n".repeat(501))).then().statusCode(400)
                .body("code", equalTo("invalid_sunset")).body("detail", containsString("501 characters"));
        schedule(v1, 1, sunset(later, 1, null)).then().statusCode(400).body("code", equalTo("invalid_successor"));
        schedule(v1, 1, sunset(later, 9, null)).then().statusCode(400).body("code", equalTo("invalid_successor"));
        schedule(v1, "one", sunset(later, null, null)).then().statusCode(400).body("code", equalTo("invalid_version"));
        schedule(v1, 7, sunset(later, null, null)).then().statusCode(404).body("code", equalTo("version_not_found"));
        Api.as(operator).body(sunset(later, null, null)).put("/admin/v1/models/no-such-model/versions/1/sunset")
                .then().statusCode(404).body("code", equalTo("model_not_found"));
        Api.as(Tokens.user("someone@example.com")).body(sunset(later, null, null)).put(sunsetPath(v1, 1)).then()
                .statusCode(403);
        // a successor that is retired before the version it succeeds is no successor
        schedule(v2, 2, sunset(later.minus(1, ChronoUnit.DAYS), null, null)).then().statusCode(200);
        schedule(v1, 1, sunset(later, 2, null)).then().statusCode(400).body("code", equalTo("invalid_successor"))
                .body("detail", containsString("before this version's sunset"));
        assertThat(db.value("SELECT sunset_at FROM model_versions WHERE id = ?", v1.versionId()), nullValue());

        // changed: deprecated since the first time; a blank note is none
        Response first = schedule(v1, 1, sunset(later.minus(2, ChronoUnit.DAYS), null, "first"));
        first.then().statusCode(200);
        String deprecatedAt = first.path("deprecation.deprecated_at");
        schedule(v1, 1, sunset(later.minus(3, ChronoUnit.DAYS), 2, "  ")).then().statusCode(200)
                .body("deprecation.deprecated_at", equalTo(deprecatedAt)).body("deprecation.successor", equalTo(2))
                .body("deprecation.note", nullValue());
        // the successor retired: deprecated versions no longer point at it
        Api.as(operator).delete("/admin/v1/models/" + v1.name() + "/versions/2").then().statusCode(204);
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("versions.find { it.version == 1 }.deprecation.successor", nullValue())
                .body("versions.find { it.version == 1 }.deprecation.deprecated_at", equalTo(deprecatedAt));

        // cancelled: not deprecated any more, and cancelling again is no error
        Api.as(operator).delete(sunsetPath(v1, 1)).then().statusCode(204);
        Api.as(operator).delete(sunsetPath(v1, 1)).then().statusCode(204);
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("versions.find { it.version == 1 }.deprecation", nullValue())
                .body("versions.find { it.version == 1 }.status", equalTo("ready"));
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE target_id = ? AND action IN "
                + "('model_version.sunset_scheduled', 'model_version.sunset_cancelled')", v1.name() + "/1"),
                equalTo(3L));
    }

    @Test
    void everyTenantThatMayCallTheVersionHearsOfItByWebhookAndNoOtherDoes() throws Exception {
        // who may call it is VisibleModels' rule: public, the owner, or a tenant the model is shared with
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            Tenant owner = hooked(receiver);
            Tenant other = hooked(receiver);
            Tenant silent = fixtures.tenant(); // no webhook: nothing queued
            Model mine = fixtures.model("PRIVATE", owner);
            Instant at = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

            // a private model's version: its owner only
            schedule(mine, 1, sunset(at, null, "moving on")).then().statusCode(200);
            assertThat(deliveries(owner, ModelSunsets.DEPRECATED_EVENT), hasSize(1));
            assertThat(deliveries(other, ModelSunsets.DEPRECATED_EVENT), hasSize(0));
            // the same sunset again tells nobody twice
            schedule(mine, 1, sunset(at, null, "moving on")).then().statusCode(200);
            assertThat(deliveries(owner, ModelSunsets.DEPRECATED_EVENT), hasSize(1));
            // a public one: both tenants with a webhook
            schedule(v1, 1, sunset(at, 2, null)).then().statusCode(200);
            assertThat(deliveries(owner, ModelSunsets.DEPRECATED_EVENT), hasSize(2));
            assertThat(deliveries(other, ModelSunsets.DEPRECATED_EVENT), hasSize(1));
            assertThat(db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", silent.id()),
                    equalTo(0L));
            Api.as(operator).delete(sunsetPath(v1, 1)).then().statusCode(204);
            assertThat(deliveries(other, ModelSunsets.CANCELLED_EVENT), hasSize(1));
            // the private model shared with other: other hears of its next change too
            Api.as(operator).put("/admin/v1/models/" + mine.name() + "/grants/" + other.slug()).then()
                    .statusCode(200);
            schedule(mine, 1, sunset(at.plusSeconds(60), null, "moving on")).then().statusCode(200);
            assertThat(deliveries(other, ModelSunsets.DEPRECATED_EVENT), hasSize(2));
            assertThat(deliveries(owner, ModelSunsets.DEPRECATED_EVENT), hasSize(3));

            // what other's receiver got: the signed event, with what a client needs to move
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received(receiver, other).size() >= 3);
            JsonNode deprecated = received(receiver, other).stream()
                    .filter(e -> e.path("type").asText().equals(ModelSunsets.DEPRECATED_EVENT)
                            && e.path("data").path("model").asText().equals(v1.name())).findFirst().orElseThrow();
            assertThat(deprecated.path("data").path("model").asText(), equalTo(v1.name()));
            assertThat(deprecated.path("data").path("version").asInt(), equalTo(1));
            assertThat(deprecated.path("data").path("sunset_at").asText(), equalTo(at.toString()));
            assertThat(deprecated.path("data").path("successor").asInt(), equalTo(2));
            assertThat(deprecated.path("data").path("url").asText(),
                    equalTo("/v2/models/" + v1.name() + "/versions/1"));
            // deprecated when first scheduled, before the sunset it announces
            assertThat(Instant.parse(deprecated.path("data").path("deprecated_at").asText()).isBefore(at),
                    equalTo(true));
        }
    }

    private Tenant hooked(WebhookReceiver receiver) {
        Tenant tenant = fixtures.tenant();
        db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(),
                "whsec_" + UUID.randomUUID(), tenant.id());
        return tenant;
    }

    private List<Map<String, Object>> deliveries(Tenant tenant, String type) {
        return db.query("SELECT payload::text AS payload FROM webhook_deliveries WHERE tenant_id = ? AND "
                + "event_type = ?", tenant.id(), type);
    }

    private static List<JsonNode> received(WebhookReceiver receiver, Tenant tenant) {
        return receiver.received().stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(e -> e.path("tenant").asText().equals(tenant.slug())).toList();
    }
}
