package io.aiaas.platform.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A private model shared with tenants besides its owner: the granted tenant calls it, sees its card and pins it like
 * the owner; every other tenant still gets the 404 of a model that does not exist, and so does the granted one once
 * the grant is revoked. Through the public APIs, with a fake worker running the model in ONNX Runtime.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ModelGrantTest {

    private static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}""";

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    Tenant owner;
    Tenant partner;
    Tenant stranger;
    Model model;
    String operator;
    FakeWorker worker;
    final Map<Tenant, String> admins = new HashMap<>();

    @BeforeEach
    void setUp() {
        owner = fixtures.tenant();
        partner = fixtures.tenant();
        stranger = fixtures.tenant();
        model = fixtures.model("PRIVATE", owner);
        operator = Tokens.admin();
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
    }

    private String grant(Tenant tenant) {
        return "/admin/v1/models/" + model.name() + "/grants/" + tenant.slug();
    }

    private static Response infer(String key, String name) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + name + "/infer");
    }

    /** A token of an admin of the tenant, one person per tenant. */
    private String member(Tenant tenant) {
        return admins.computeIfAbsent(tenant, t -> Api.userOf(t.slug(), "admin").token());
    }

    private Response card(Tenant tenant) {
        return Api.as(member(tenant)).get("/api/v1/tenants/" + tenant.slug() + "/models/" + model.name());
    }

    private Response pin(Tenant tenant) {
        return Api.as(member(tenant)).body(Map.of("version", 1))
                .put("/api/v1/tenants/" + tenant.slug() + "/models/" + model.name() + "/settings");
    }

    @Test
    void aGrantedTenantCallsThePrivateModelLikeItsOwnerAndEveryOtherTenantStillGetsA404() throws Exception {
        worker = FakeWorker.start().named("grant-" + UUID.randomUUID().toString().substring(0, 8))
                .hold(model.name(), 1, model.file()).join();
        String partnerKey = fixtures.key(partner);
        String strangerKey = fixtures.key(stranger);
        infer(fixtures.key(owner), model.name()).then().statusCode(200);
        infer(partnerKey, model.name()).then().statusCode(404).body("error", equalTo("model " + model.name()
                + " not found"));
        card(partner).then().statusCode(404).body("code", equalTo("model_not_found"));

        db.update("UPDATE tenants SET webhook_url = 'https://hooks.partner.test/aiaas', webhook_secret = 'whsec_x'"
                + " WHERE id = ?", partner.id());
        Api.as(operator).put(grant(partner)).then().statusCode(200).body("grants", hasSize(1))
                .body("grants[0].tenant", equalTo(partner.slug()))
                .body("grants[0].granted_by", equalTo("admin@aiaas.test"));
        // granting again changes nothing
        Api.as(operator).put(grant(partner)).then().statusCode(200).body("grants", hasSize(1));
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE action = 'model.granted' AND tenant_id = ?",
                partner.id()), equalTo(1L));
        // the partner's webhook hears of it once, with where to call it
        assertThat(db.value("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND event_type ="
                + " 'model.access_granted' AND payload->'data'->>'url' = ?", partner.id(), "/v2/models/"
                + model.name()), equalTo(1L));

        // the partner: calls, metadata, the card (shared, not its own), its list and a pin
        infer(partnerKey, model.name()).then().statusCode(200).header("x-aiaas-model-version", "1");
        given().header("Authorization", "Bearer " + partnerKey).get("/v2/models/" + model.name()).then()
                .statusCode(200);
        card(partner).then().statusCode(200).body("visibility", equalTo("shared"));
        card(owner).then().statusCode(200).body("visibility", equalTo("private"));
        Api.as(member(partner)).get("/api/v1/tenants/" + partner.slug() + "/models").then().statusCode(200)
                .body("name", hasItem(model.name()));
        pin(partner).then().statusCode(200);
        infer(partnerKey, model.name()).then().statusCode(200);

        // everyone else: exactly what a model that does not exist looks like
        infer(strangerKey, model.name()).then().statusCode(404).body("error", equalTo("model " + model.name()
                + " not found"));
        given().header("Authorization", "Bearer " + strangerKey).get("/v2/models/" + model.name()).then()
                .statusCode(404);
        card(stranger).then().statusCode(404).body("code", equalTo("model_not_found"));
        pin(stranger).then().statusCode(404).body("code", equalTo("model_not_found"));
        Api.as(member(stranger)).get("/api/v1/tenants/" + stranger.slug() + "/models").then().statusCode(200)
                .body("name", not(hasItem(model.name())));

        // revoked: the partner is back to a 404 at once, its pin with it; revoking again is no error
        Api.as(operator).delete(grant(partner)).then().statusCode(204);
        infer(partnerKey, model.name()).then().statusCode(404);
        card(partner).then().statusCode(404);
        Api.as(member(partner)).get("/api/v1/tenants/" + partner.slug() + "/models/" + model.name() + "/settings")
                .then().statusCode(404);
        Api.as(operator).delete(grant(partner)).then().statusCode(204);
        Api.as(operator).get("/admin/v1/models/" + model.name()).then().statusCode(200).body("grants", hasSize(0));
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE action = 'model.grant_revoked' AND tenant_id = ?",
                partner.id()), equalTo(1L));
        assertThat(db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND event_type ="
                + " 'model.access_revoked'", partner.id()), equalTo(1L));
        assertThat(db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", stranger.id()),
                equalTo(0L));
        infer(fixtures.key(owner), model.name()).then().statusCode(200);
    }

    @Test
    void grantsAreRefusedToTheOwnerToClosedAndUnknownTenantsAndToNonAdmins() {
        Api.as(operator).put(grant(owner)).then().statusCode(400).body("code", equalTo("invalid_grant"));
        Tenant closed = fixtures.tenant();
        db.update("UPDATE tenants SET status = 'CLOSED', closed_at = now() WHERE id = ?", closed.id());
        Api.as(operator).put(grant(closed)).then().statusCode(400).body("code", equalTo("invalid_grant"));
        Api.as(operator).put("/admin/v1/models/" + model.name() + "/grants/no-such-tenant").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(operator).put("/admin/v1/models/no-such-model/grants/" + partner.slug()).then().statusCode(404)
                .body("code", equalTo("model_not_found"));
        Api.as(member(partner)).put(grant(partner)).then().statusCode(403);
        Api.as(operator).get("/admin/v1/models/" + model.name()).then().statusCode(200)
                .body("grants", equalTo(List.of()));
    }
}
