package io.aiaas.platform.apikey;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.TimingProfile;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind a trusted reverse proxy (the loopback, in {@link TimingProfile}) a key's networks are checked against the
 * address the proxy says the call came from (X-Forwarded-For), as a deployment behind an ingress configures it.
 */
@QuarkusTest
@TestProfile(TimingProfile.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class TrustedProxyNetworksTest {

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    Model model;
    FakeWorker worker;

    @BeforeEach
    void setUp() throws Exception {
        model = fixtures.model("PUBLIC", null);
        worker = FakeWorker.start("http://localhost:" + RestAssured.port).hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private Response infer(String key, String forwardedFor) {
        var request = given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(ApiKeyModelsTest.BODY);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/v2/models/" + model.name() + "/infer");
    }

    @Test
    void theAddressTheTrustedProxyGivesIsTheOneChecked() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        String key = Api.as(alice.token()).body(Map.of("name", "office", "allowed_networks",
                List.of("203.0.113.0/24", "2001:db8::/32"))).post("/api/v1/tenants/" + alice.slug() + "/keys")
                .then().statusCode(201).extract().path("key");
        infer(key, "203.0.113.9").then().statusCode(200);
        infer(key, "2001:db8::7").then().statusCode(200);
        Response refused = infer(key, "198.51.100.9");
        refused.then().statusCode(403).body("code", equalTo("network_not_allowed"))
                .body("error", containsString("this call came from 198.51.100.9"));
        usage.one(refused).status(403).billable(false).errorCode("network_not_allowed");
        // the proxy's own address (no header) is not in the key's networks either
        infer(key, null).then().statusCode(403);
    }
}
