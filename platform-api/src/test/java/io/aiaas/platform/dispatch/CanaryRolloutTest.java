package io.aiaas.platform.dispatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.aiaas.platform.model.service.CanaryWatch;
import io.aiaas.platform.model.service.ModelRollouts;
import io.aiaas.platform.model.service.VisibleModels.Canary;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A canary's assignment (per call, or sticky per tenant) and its automatic rollback when too many of its calls fail,
 * through the public /v2 API with fake workers; the judge's windows fed directly.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class CanaryRolloutTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    @Inject
    MeterRegistry meters;

    @Inject
    CanaryWatch watch;

    @Inject
    ModelRollouts rollouts;

    Model v1;
    Model v2;
    String operator;
    String rollout;
    final List<FakeWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        v1 = fixtures.model("PUBLIC", null);
        v2 = fixtures.model(v1.name(), "PUBLIC", null, 2);
        operator = Tokens.admin();
        rollout = "/admin/v1/models/" + v1.name() + "/rollout";
    }

    @AfterEach
    void tearDown() {
        workers.forEach(FakeWorker::close);
    }

    private FakeWorker worker() throws Exception {
        FakeWorker worker = FakeWorker.start().named("canary-" + UUID.randomUUID().toString().substring(0, 8));
        workers.add(worker);
        return worker;
    }

    private Response infer(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(DispatchTest.BODY).post("/v2/models/" + v1.name() + "/infer");
    }

    /** The versions that answered {@code calls} calls of {@code key} that name none (and the statuses, by "status"). */
    private Map<String, Integer> versionsOf(String key, int calls) {
        Map<String, Integer> answered = new TreeMap<>();
        for (int i = 0; i < calls; i++) {
            Response response = infer(key);
            answered.merge(response.statusCode() == 200 ? response.header("x-aiaas-model-version")
                    : "status " + response.statusCode(), 1, Integer::sum);
        }
        return answered;
    }

    @Test
    void aStickyCanaryKeepsEachTenantOnOneSideAndAPerCallOneSharesEveryTenant() throws Exception {
        worker().hold(v1.name(), 1, v1.file()).hold(v1.name(), 2, v2.file()).join();
        // two tenants in different places for this canary; the one placed lower is on it at a percent just above it
        Tenant low = fixtures.tenant();
        Tenant high = fixtures.tenant();
        while (Canary.bucket(low.id(), v1.name(), 2) == Canary.bucket(high.id(), v1.name(), 2)) {
            high = fixtures.tenant();
        }
        if (Canary.bucket(low.id(), v1.name(), 2) > Canary.bucket(high.id(), v1.name(), 2)) {
            Tenant swap = low;
            low = high;
            high = swap;
        }
        int percent = Canary.bucket(low.id(), v1.name(), 2) + 1;
        Api.as(operator).body(Map.of("stable_version", 1, "canary_version", 2, "canary_percent", percent,
                "canary_by", "tenant")).put(rollout).then().statusCode(200)
                .body("rollout.canary_by", equalTo("tenant")).body("rollout.canary_since", notNullValue())
                .body("rollout.rollback_error_percent", nullValue()).body("rollout.rollback_window", nullValue());
        String lowKey = fixtures.key(low);
        String highKey = fixtures.key(high);
        assertThat(versionsOf(lowKey, 30), equalTo(Map.of("2", 30)));
        assertThat(versionsOf(highKey, 30), equalTo(Map.of("1", 30)));

        // drawn per call at half: each tenant gets both (all 60 on one side: 2^-59)
        Api.as(operator).body(Map.of("stable_version", 1, "canary_version", 2, "canary_percent", 50)).put(rollout)
                .then().statusCode(200).body("rollout.canary_by", equalTo("call"));
        assertThat(versionsOf(lowKey, 60).keySet(), equalTo(java.util.Set.of("1", "2")));
        assertThat(versionsOf(highKey, 60).keySet(), equalTo(java.util.Set.of("1", "2")));

        // a canary's settings without a canary, a window without a rollback, values out of range: refused
        Api.as(operator).body(Map.of("stable_version", 1, "canary_by", "tenant")).put(rollout).then()
                .statusCode(400).body("code", equalTo("invalid_rollout"));
        Api.as(operator).body(Map.of("rollback_error_percent", 10)).put(rollout).then().statusCode(400)
                .body("code", equalTo("invalid_rollout"));
        Api.as(operator).body(Map.of("canary_version", 2, "canary_percent", 5, "rollback_window", 50)).put(rollout)
                .then().statusCode(400).body("code", equalTo("invalid_rollout"));
        Api.as(operator).body(Map.of("canary_version", 2, "canary_percent", 5, "canary_by", "key")).put(rollout)
                .then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("violations[0].field", equalTo("canary_by"));
        Api.as(operator).body(Map.of("canary_version", 2, "canary_percent", 5, "rollback_error_percent", 0))
                .put(rollout).then().statusCode(400).body("violations[0].field", equalTo("rollback_error_percent"));
        Api.as(operator).body(Map.of("canary_version", 2, "canary_percent", 5, "rollback_error_percent", 5,
                "rollback_window", 9)).put(rollout).then().statusCode(400)
                .body("violations[0].field", equalTo("rollback_window"));
        assertThat(db.value("SELECT canary_by FROM models WHERE id = ?", v1.id()), equalTo("call"));
        assertThat(db.value("SELECT canary_percent FROM models WHERE id = ?", v1.id()), equalTo(50));
    }

    @Test
    void aCanaryWhoseCallsFailIsRolledBackByThePlatformAndItsClientErrorsAreNotHeldAgainstIt() throws Exception {
        Tenant tenant = fixtures.tenant();
        String key = fixtures.key(tenant);
        worker().hold(v1.name(), 1, v1.file()).join();
        FakeWorker canary = worker().hold(v1.name(), 2, v2.file()).join();
        Api.as(operator).body(Map.of("stable_version", 1, "canary_version", 2, "canary_percent", 50,
                "rollback_error_percent", 20, "rollback_window", 10)).put(rollout).then().statusCode(200)
                .body("rollout.rollback_error_percent", equalTo(20)).body("rollout.rollback_window", equalTo(10))
                .body("rollout.last_rollback", nullValue());
        Timestamp judged = (Timestamp) db.value("SELECT canary_since FROM models WHERE id = ?", v1.id());

        // the canary refuses the input: the client's mistake, not the version's failure
        canary.answer(400, "{\"error\": \"input 'x' has the wrong shape\"}");
        Map<String, Integer> refused = versionsOf(key, 40);
        assertThat(refused.getOrDefault("status 400", 0), greaterThan(0));
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("rollout.canary_version", equalTo(2));

        // the canary fails to run it: two failures in a window of ten is 20 %, and the platform takes it out
        Counter rollbacks = meters.counter("aiaas_canary_rollbacks_total", "model", v1.name());
        double before = rollbacks.count();
        canary.answer(500, "{\"error\": \"the model cannot run\"}");
        Map<String, Integer> failing = versionsOf(key, 30);
        assertThat(failing.getOrDefault("status 502", 0) + failing.getOrDefault("status 503", 0),
                greaterThanOrEqualTo(2));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> Api.as(operator)
                .get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("rollout.canary_version", nullValue()));
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("rollout.stable_version", equalTo(1)).body("rollout.canary_by", nullValue())
                .body("rollout.rollback_error_percent", nullValue())
                .body("rollout.last_rollback.version", equalTo(2))
                .body("rollout.last_rollback.failures", equalTo(2))
                .body("rollout.last_rollback.calls", lessThanOrEqualTo(10))
                .body("rollout.last_rollback.at", notNullValue());
        assertThat(versionsOf(key, 20), equalTo(Map.of("1", 20)));
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE action = 'model.canary_rolled_back'"
                + " AND target_id = ? AND actor_kind = 'SYSTEM'", v1.name()), equalTo(1L));
        assertThat(rollbacks.count() - before, equalTo(1.0));

        // setting the rollout again clears the note; a replica that judged the canary before cannot roll it back
        Api.as(operator).body(Map.of("stable_version", 1, "canary_version", 2, "canary_percent", 50,
                "rollback_error_percent", 20)).put(rollout).then().statusCode(200)
                .body("rollout.last_rollback", nullValue()).body("rollout.rollback_window", equalTo(100));
        assertThat(rollouts.rollBack(v1.name(), 2, judged.toInstant(), 10, 5, 20), equalTo(false));
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("rollout.canary_version", equalTo(2));
    }

    @Test
    void theJudgeCountsServerFailuresInWindowsAndNothingElse() throws Exception {
        Api.as(operator).body(Map.of("canary_version", 2, "canary_percent", 10, "rollback_error_percent", 20,
                "rollback_window", 10)).put(rollout).then().statusCode(200);
        Timestamp since = (Timestamp) db.value("SELECT canary_since FROM models WHERE id = ?", v1.id());
        Canary canary = new Canary(2, 10, false, since.toInstant(), 20, 10);
        // one failure in each window of ten stays under 20 %: windows start afresh
        for (int window = 0; window < 5; window++) {
            for (int call = 0; call < 9; call++) {
                watch.observe(v1.id(), v1.name(), canary, 200, null);
            }
            watch.observe(v1.id(), v1.name(), canary, 502, "worker_failed");
        }
        // a busy worker, the client's mistakes and limits are not judged, however many
        for (int call = 0; call < 30; call++) {
            watch.observe(v1.id(), v1.name(), canary, 503, "worker_busy");
            watch.observe(v1.id(), v1.name(), canary, 400, "worker_400");
            watch.observe(v1.id(), v1.name(), canary, 429, "rate_limited");
        }
        Thread.sleep(200);
        assertThat(db.value("SELECT canary_version FROM models WHERE id = ?", v1.id()), equalTo(2));
        // two in one window: rolled back
        watch.observe(v1.id(), v1.name(), canary, 504, "worker_timeout");
        watch.observe(v1.id(), v1.name(), canary, 503, "worker_unreachable");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> db.value(
                "SELECT canary_version FROM models WHERE id = ?", v1.id()) == null);
        assertThat(db.value("SELECT rolled_back_calls FROM models WHERE id = ?", v1.id()), equalTo(2));
        assertThat(db.value("SELECT rolled_back_failures FROM models WHERE id = ?", v1.id()), equalTo(2));
    }
}
