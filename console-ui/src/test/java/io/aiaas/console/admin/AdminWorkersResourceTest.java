package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminWorkersResourceTest {

    static final String W1 = "aaaaaaaa-0000-0000-0000-000000000001";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private String workers() {
        String beat = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        return """
                [{"id":"%s","name":"w-gpu","url":"http://10.0.0.7:8090","device":"cuda","status":"UP","outstanding":1234,
                  "registered_at":"2026-03-01T00:00:00Z","last_heartbeat_at":"%s",
                  "placements":[{"model":"resnet","version":2,"state":"READY","reason":null,"updated_at":"2026-03-01T00:00:00Z"},
                                {"model":"bert","version":1,"state":"FAILED","reason":"CUDA out of memory","updated_at":"2026-03-01T00:00:00Z"}]},
                 {"id":"aaaaaaaa-0000-0000-0000-000000000002","name":"w-old","url":"http://10.0.0.8:8090","device":"cpu",
                  "status":"DOWN","outstanding":0,"registered_at":"2026-01-01T00:00:00Z",
                  "last_heartbeat_at":"2026-01-02T00:00:00Z","placements":[]}]""".formatted(W1, beat);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void workersShowHealthDeviceQueueHeartbeatAndLoadedModels() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/workers")), 200, workers());
        given().header("Accept-Language", "en-US").when().get("/admin/workers")
                .then().statusCode(200)
                .body(containsString("<table id=\"workers\">"))
                .body(containsString("<tr data-worker-id=\"" + W1 + "\">"))
                .body(containsString("<span class=\"worker-status badge ready\">UP</span>"))
                .body(containsString("<span class=\"worker-status badge FAILED\">DOWN</span>"))
                .body(containsString("<td class=\"worker-device\">cuda</td>"))
                .body(containsString("<td class=\"num worker-outstanding\">1,234</td>"))
                .body(containsString(">5 min ago</time>"))
                .body(containsString("<a href=\"/admin/models/resnet\">resnet</a> v2 <span class=\"placement-state badge READY\">READY</span>"))
                .body(containsString("<span class=\"placement-state badge FAILED\">FAILED</span> <span class=\"muted\">CUDA out of memory</span>"))
                .body(containsString("id=\"nav-admin-workers\" href=\"/admin/workers\" aria-current=\"page\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void noWorkersIsSaidInWords() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/workers")), 200, "[]");
        given().when().get("/admin/workers")
                .then().statusCode(200)
                .body(containsString("No worker has registered."));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndNoWorkers() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/workers")), 200, workers());
        given().when().get("/admin/workers")
                .then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("w-gpu")))
                .body(not(containsString("10.0.0.7")));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }
}
