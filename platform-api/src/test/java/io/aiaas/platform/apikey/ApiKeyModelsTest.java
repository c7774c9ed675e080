package io.aiaas.platform.apikey;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API keys issued for some models only: what issuing checks, and what the gateway lets such a key call (the models it
 * names, nothing else; another tenant's private model stays a 404), with each refusal recorded and never billed.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyModelsTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}""";

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    TestDb db;

    Api.TenantUser alice;
    Tenant tenant;
    Model allowed;
    Model other;
    Model foreignPrivate;
    FakeWorker worker;

    @BeforeEach
    void setUp() throws Exception {
        alice = Api.tenantWithAdmin();
        tenant = new Tenant((UUID) db.value("SELECT id FROM tenants WHERE slug = ?", alice.slug()), alice.slug());
        allowed = fixtures.model("PUBLIC", null);
        other = fixtures.model("PRIVATE", tenant);
        foreignPrivate = fixtures.model("PRIVATE", fixtures.tenant());
        worker = FakeWorker.start("http://localhost:" + RestAssured.port).hold(allowed.name(), 1, allowed.file())
                .hold(other.name(), 1, other.file()).hold(foreignPrivate.name(), 1, foreignPrivate.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private JsonPath issue(Map<String, Object> body) {
        return Api.as(alice.token()).body(body).post("/api/v1/tenants/" + alice.slug() + "/keys").then()
                .statusCode(201).extract().jsonPath();
    }

    private Response infer(String key, String model) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model + "/infer");
    }

    @Test
    void aKeyForSomeModelsCallsThoseAndIsRefusedTheOthersUnbilled() {
        JsonPath created = issue(Map.of("name", "only one", "models", List.of(allowed.name(), allowed.name())));
        assertEquals(List.of(allowed.name()), created.getList("models"), "repeats are dropped");
        String key = created.getString("key");

        infer(key, allowed.name()).then().statusCode(200);
        Response refused = infer(key, other.name());
        refused.then().statusCode(403).body("code", equalTo("model_not_allowed"))
                .body("error", equalTo("this API key may call only [" + allowed.name() + "]; ask a tenant admin for a"
                        + " key that includes " + other.name()));
        usage.one(refused).status(403).billable(false).errorCode("model_not_allowed").modelName(other.name());
        // metadata and readiness are refused alike; another tenant's private model stays exactly a missing one
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + other.name()).then().statusCode(403)
                .body("code", equalTo("model_not_allowed"));
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + other.name() + "/versions/1/ready")
                .then().statusCode(403);
        infer(key, foreignPrivate.name()).then().statusCode(404).body("code", equalTo("model_not_found"));
        assertEquals(1, worker.inferCalls(), "only the allowed call reached a worker");
        assertEquals(1L, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND billable",
                tenant.id()));

        // a key without a list calls every model of its tenant, as before
        String everything = issue(Map.of("name", "all")).getString("key");
        infer(everything, other.name()).then().statusCode(200);
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(200)
                .body("find { it.name == 'only one' }.models", equalTo(List.of(allowed.name())))
                .body("find { it.name == 'all' }.models", nullValue());
    }

    @Test
    void aRotatedKeyKeepsItsModelsAndTheAuditSaysWhichTheyAre() throws Exception {
        JsonPath created = issue(Map.of("name", "scoped", "models", List.of(other.name(), allowed.name())));
        List<String> both = new ArrayList<>(List.of(other.name(), allowed.name()));
        Collections.sort(both);
        assertEquals(both, created.getList("models"), "sorted");
        String id = created.getString("id");
        JsonPath rotated = Api.as(alice.token()).body(Map.of("overlap_seconds", 0))
                .post("/api/v1/tenants/" + alice.slug() + "/keys/" + id + "/rotate").then().statusCode(201)
                .extract().jsonPath();
        assertEquals(both, rotated.getList("models"));
        infer(rotated.getString("key"), other.name()).then().statusCode(200);
        Model third = fixtures.model("PUBLIC", null);
        worker.hold(third.name(), 1, third.file()).heartbeat();
        infer(rotated.getString("key"), third.name()).then().statusCode(403).body("code",
                equalTo("model_not_allowed"));
        assertEquals("[\"" + String.join("\", \"", both) + "\"]", db.value("SELECT details->>'models' FROM audit_log"
                + " WHERE action = 'api_key.created' AND target_id = ?", rotated.getString("id")));
    }

    @Test
    void aKeysModelsCanBeReplacedAndTheGatewayUsesTheNewListAtOnce() {
        JsonPath created = issue(Map.of("name", "narrow", "models", List.of(allowed.name())));
        String key = created.getString("key");
        String id = created.getString("id");
        String path = "/api/v1/tenants/" + alice.slug() + "/keys/" + id + "/models";
        infer(key, other.name()).then().statusCode(403); // the key and its list are cached now

        Api.as(alice.token()).body(Map.of("models", List.of(other.name()))).put(path).then().statusCode(200)
                .body("id", equalTo(id)).body("models", equalTo(List.of(other.name())));
        infer(key, other.name()).then().statusCode(200);
        infer(key, allowed.name()).then().statusCode(403).body("code", equalTo("model_not_allowed"));
        Map<String, Object> everything = new HashMap<>();
        everything.put("models", null);
        Api.as(alice.token()).body(everything).put(path).then().statusCode(200).body("models", nullValue());
        infer(key, allowed.name()).then().statusCode(200);
        Api.as(alice.token()).body(everything).put(path).then().statusCode(200); // the same list: no change
        String changes = "SELECT count(*) FROM audit_log WHERE action = 'api_key.models_changed' AND target_id = ?";
        assertEquals(2L, db.count(changes, id));
        assertEquals("[\"" + other.name() + "\"]", db.value("SELECT details->>'from' FROM audit_log WHERE action ="
                + " 'api_key.models_changed' AND target_id = ? AND details->'to' = 'null'::jsonb", id));

        // refusals change nothing
        Api.as(alice.token()).body(Map.of()).put(path).then().statusCode(400).body("code", equalTo("invalid_json"));
        Api.as(alice.token()).body(Map.of("models", List.of())).put(path).then().statusCode(400)
                .body("code", equalTo("validation_failed"));
        Api.as(alice.token()).body(Map.of("models", List.of(foreignPrivate.name()))).put(path).then()
                .statusCode(400).body("code", equalTo("unknown_model")).body("violations[0].field", equalTo("models[0]"));
        Api.as(Api.userOf(alice.slug(), "member").token()).body(everything).put(path).then().statusCode(403);
        Api.TenantUser bob = Api.tenantWithAdmin();
        Api.as(bob.token()).body(everything).put("/api/v1/tenants/" + bob.slug() + "/keys/" + id + "/models").then()
                .statusCode(404).body("code", equalTo("api_key_not_found"));
        Api.as(alice.token()).delete("/api/v1/tenants/" + alice.slug() + "/keys/" + id).then().statusCode(204);
        Api.as(alice.token()).body(Map.of("models", List.of(allowed.name()))).put(path).then().statusCode(409)
                .body("code", equalTo("key_not_active"));
        assertEquals(2L, db.count(changes, id));
        assertEquals(null, db.value("SELECT models FROM api_keys WHERE id = ?::uuid", id));
    }

    @Test
    void modelsMustBeOneTo100ModelsTheTenantCanCallAndNothingIsIssuedOtherwise() {
        String keys = "/api/v1/tenants/" + alice.slug() + "/keys";
        Map<String, Object> unknown = Map.of("name", "k", "models", List.of(allowed.name(), "no-such-model",
                foreignPrivate.name()));
        Api.as(alice.token()).body(unknown).post(keys).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("unknown_model"))
                .body("violations.field", equalTo(List.of("models[1]", "models[2]")))
                .body("violations[1].message", equalTo("no model '" + foreignPrivate.name()
                        + "' is available to tenant '" + alice.slug() + "'"))
                .body("violations[0].message", equalTo("no model 'no-such-model' is available to tenant '"
                        + alice.slug() + "'"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add("m" + i);
        }
        Map<String, Object> withNull = new HashMap<>(Map.of("name", "k"));
        withNull.put("models", java.util.Arrays.asList(allowed.name(), null));
        for (Map<String, Object> body : List.of(Map.of("name", "k", "models", List.of()),
                Map.of("name", "k", "models", tooMany), Map.of("name", "k", "models", List.of("../etc")),
                withNull)) {
            Api.as(alice.token()).body(body).post(keys).then().statusCode(400)
                    .body("code", equalTo("validation_failed"))
                    .body("violations.field", hasItem(containsString("models")));
        }
        Api.as(alice.token()).body(Map.of("name", "k", "models", "not a list")).post(keys).then().statusCode(400)
                .body("code", equalTo("invalid_json"));
        assertEquals(0L, db.count("SELECT count(*) FROM api_keys WHERE tenant_id = ?", tenant.id()));
    }
}
