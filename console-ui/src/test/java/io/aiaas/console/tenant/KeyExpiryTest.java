package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An active key that stops working within a week (when platform-api sends {@code api_key.expiring}) is flagged in the
 * keys list, so a tenant admin issues its successor in time; a later expiry, or a revoked key, is not.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class KeyExpiryTest {

    static final String KEYS_PATH = "/api/v1/tenants/acme/keys";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, KeysResourceTest.MODELS);
    }

    /** The list with the active key expiring at {@code activeExpiry} and the revoked one at {@code revokedExpiry}. */
    private String page(Instant activeExpiry, Instant revokedExpiry) {
        String keys = KeysResourceTest.KEYS
                .replaceFirst("\"expires_at\":null", "\"expires_at\":\"" + activeExpiry + "\"")
                .replaceFirst("\"expires_at\":null", "\"expires_at\":\"" + revokedExpiry + "\"");
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, keys);
        return given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyExpiringWithinAWeekIsFlaggedAndOthersAreNot() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Instant soon = Instant.now().plus(2, ChronoUnit.DAYS);
        Instant later = Instant.now().plus(30, ChronoUnit.DAYS);
        assertEquals(1, page(soon, soon).split("key-expires-soon", -1).length - 1,
                "the active key only: a revoked key is not flagged");
        assertEquals(0, page(later, soon).split("key-expires-soon", -1).length - 1);
    }
}
