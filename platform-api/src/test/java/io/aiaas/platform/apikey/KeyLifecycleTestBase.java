package io.aiaas.platform.apikey;

import static io.restassured.RestAssured.given;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of a key's life (rotation, a moved expiry) share: a tenant with its admin, a public model to call,
 * and helpers to issue a key, call the model with it and read the expiry PostgreSQL holds.
 */
abstract class KeyLifecycleTestBase {

    @Inject
    TestDb db;

    @Inject
    Fixtures fixtures;

    String model;
    Api.TenantUser alice;

    @BeforeEach
    void setUpTenantAndModel() {
        model = fixtures.model("PUBLIC", null).name();
        alice = Api.tenantWithAdmin();
    }

    /** Model metadata with an API key: 200 while the key is valid, 401 after. */
    Response call(String key) {
        return given().header("Authorization", "Bearer " + key).get("/v2/models/" + model);
    }

    /** Issues a key as the tenant's admin (expiring then, or never); answers the 201 body. */
    JsonPath create(String name, Instant expiresAt) {
        Map<String, Object> body = expiresAt == null ? Map.of("name", name)
                : Map.of("name", name, "expires_at", expiresAt.toString());
        return Api.as(alice.token()).body(body).post(keys()).then().statusCode(201).extract().jsonPath();
    }

    String keys() {
        return "/api/v1/tenants/" + alice.slug() + "/keys";
    }

    /** The key's expiry as stored; null for never. */
    Instant expiresAt(String id) {
        Timestamp at = (Timestamp) db.value("SELECT expires_at FROM api_keys WHERE id = ?", UUID.fromString(id));
        return at == null ? null : at.toInstant();
    }
}
