package io.aiaas.platform.dispatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow traffic through the public /v2 API with fake workers: copies of answered calls reach the shadow version, its
 * answers are compared and counted, and nothing of it reaches the client, the usage rows or the answering version.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ShadowTrafficTest {

    @Inject
    Fixtures fixtures;
    @Inject
    TestDb db;
    @Inject
    MeterRegistry meters;

    Tenant tenant;
    String key;
    Model v1;
    String rollout;
    FakeWorker shadow;
    final List<FakeWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        tenant = fixtures.tenant();
        key = fixtures.key(tenant);
        v1 = fixtures.model("PUBLIC", null);
        fixtures.model(v1.name(), "PUBLIC", null, 2);
        rollout = "/admin/v1/models/" + v1.name() + "/rollout";
        workers.add(FakeWorker.start().named("primary-" + UUID.randomUUID().toString().substring(0, 8))
                .hold(v1.name(), 1, v1.file()).join());
        // the shadow runs the same weights: its answers are the same until told otherwise
        shadow = FakeWorker.start().named("shadow-" + UUID.randomUUID().toString().substring(0, 8))
                .hold(v1.name(), 2, v1.file()).join();
        workers.add(shadow);
        Api.as(Tokens.admin()).body(Map.of("stable_version", 1)).put(rollout).then().statusCode(200);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(FakeWorker::close);
    }

    private double count(String outcome) {
        var counter = meters.find("aiaas_shadow_calls_total").tag("model", v1.name()).tag("version", "2")
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private void calls(int n, String path) {
        for (int i = 0; i < n; i++) {
            given().header("Authorization", "Bearer " + key).contentType("application/json").body(DispatchTest.BODY)
                    .post(path).then().statusCode(200).header("x-aiaas-model-version", "1");
        }
    }

    private void calls(int n) {
        calls(n, "/v2/models/" + v1.name() + "/infer");
    }

    private void awaitCount(String outcome, double expected) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(outcome, count(outcome),
                equalTo(expected)));
    }

    @Test
    void copiesOfAnsweredCallsAreComparedCountedAndNeverReachTheClientOrTheBill() {
        Api.as(Tokens.admin()).body(Map.of("stable_version", 1, "shadow_version", 2, "shadow_percent", 100))
                .put(rollout).then().statusCode(200).body("rollout.shadow_version", equalTo(2))
                .body("rollout.shadow_percent", equalTo(100));
        calls(20);
        awaitCount("same", 20);
        assertThat(shadow.inferCalls(), equalTo(20));
        // the tenant's rows: its twenty calls, nothing of the shadow's
        assertThat(db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ?", tenant.id()), equalTo(20L));
        // a call that names a version is not copied
        calls(5, "/v2/models/" + v1.name() + "/versions/1/infer");
        assertThat(shadow.inferCalls(), equalTo(20));

        // at half, about half
        Api.as(Tokens.admin()).body(Map.of("stable_version", 1, "shadow_version", 2, "shadow_percent", 50))
                .put(rollout).then().statusCode(200);
        int before = shadow.inferCalls();
        calls(100);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> count("same") - 20
                == shadow.inferCalls() - before);
        // 50 % of 100 is 50, one standard deviation 5: four either side
        assertThat(shadow.inferCalls() - before, allOf(greaterThanOrEqualTo(30), lessThanOrEqualTo(70)));

        Api.as(Tokens.admin()).body(Map.of("stable_version", 1, "shadow_version", 2, "shadow_percent", 100))
                .put(rollout).then().statusCode(200);
        shadow.answer(200, """
                {"model_name": "%s", "outputs": [{"name": "y", "datatype": "FP32", "shape": [1, 2],
                 "data": [0.5, 0.25]}]}""".formatted(v1.name()));
        calls(10);
        awaitCount("differs", 10);
        shadow.answer(400, "{\"error\": \"input 'x' has the wrong shape\"}");
        calls(5);
        awaitCount("refused", 5);
        // failing: counted failed, or unserved once this replica ejected the shadow's worker
        shadow.answer(500, "{\"error\": \"the model cannot run\"}");
        calls(5);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> count("failed") + count("unserved") == 5);
        assertThat(count("failed"), greaterThanOrEqualTo(3.0));

        // refused with the rest of the rollout
        Api.as(Tokens.admin()).body(Map.of("stable_version", 1, "shadow_version", 2)).put(rollout).then()
                .statusCode(400).body("code", equalTo("invalid_rollout"));
        Api.as(Tokens.admin()).body(Map.of("stable_version", 2, "shadow_version", 2, "shadow_percent", 5))
                .put(rollout).then().statusCode(400).body("code", equalTo("invalid_rollout"));
        Api.as(Tokens.admin()).body(Map.of("shadow_version", 2, "shadow_percent", 101)).put(rollout).then()
                .statusCode(400).body("violations[0].field", equalTo("shadow_percent"));
        // retired, it leaves the rollout
        Api.as(Tokens.admin()).delete("/admin/v1/models/" + v1.name() + "/versions/2").then().statusCode(204);
        Api.as(Tokens.admin()).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("rollout.shadow_version", equalTo(null)).body("rollout.stable_version", equalTo(1));
    }

    @Test
    void withoutAStableVersionTheNewestServedVersionOtherThanTheShadowAnswers() {
        // version 2 is the newest a worker serves: as the shadow it is set aside, as the canary is
        Api.as(Tokens.admin()).body(Map.of("shadow_version", 2, "shadow_percent", 100)).put(rollout).then()
                .statusCode(200).body("rollout.stable_version", equalTo(null));
        calls(10);
        awaitCount("same", 10);
        assertThat(shadow.inferCalls(), equalTo(10));
    }

    @Test
    void aSlowShadowIsSkippedBeyondTheCallsInFlightAndNeverDelaysTheAnswer() throws Exception {
        Api.as(Tokens.admin()).body(Map.of("stable_version", 1, "shadow_version", 2, "shadow_percent", 100))
                .put(rollout).then().statusCode(200);
        FakeWorker.Gate gate = new FakeWorker.Gate(4, Duration.ofMillis(900));
        shadow.gate(gate);
        long started = System.nanoTime();
        calls(10);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        // max-shadow-in-flight is 4 in tests: four are held at the shadow, six were not sent
        assertThat(gate.awaitArrivals(Duration.ofSeconds(2)), equalTo(true));
        assertThat(count("skipped"), equalTo(6.0));
        assertThat("ten answers while four shadow calls were held", elapsedMs, lessThanOrEqualTo(850L));
        gate.release();
        awaitCount("same", 4);
    }
}
