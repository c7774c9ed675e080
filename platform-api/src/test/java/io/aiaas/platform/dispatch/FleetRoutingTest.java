package io.aiaas.platform.dispatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
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
 * Which version a call that names none goes to (the newest one a worker serves, or the tenant's pin), and which
 * worker it goes to (ejection after failures, the probe that brings a worker back, draining, deregistration), through
 * the public /v2 API with fake workers.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class FleetRoutingTest {

    static final String BODY = DispatchTest.BODY;

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    @Inject
    UsageRows usage;

    @Inject
    Dispatcher dispatcher;

    @Inject
    MeterRegistry meters;

    Tenant tenant;
    String key;
    Model v1;
    final List<FakeWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        tenant = fixtures.tenant();
        key = fixtures.key(tenant);
        v1 = fixtures.model("PUBLIC", null);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(FakeWorker::close);
    }

    private FakeWorker worker() throws Exception {
        FakeWorker worker = FakeWorker.start().named("fleet-" + UUID.randomUUID().toString().substring(0, 8));
        workers.add(worker);
        return worker;
    }

    private Response infer(String path) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post(path);
    }

    private Response infer() {
        return infer("/v2/models/" + v1.name() + "/infer");
    }

    private Response putSettings(String token, Object version) {
        return Api.as(token).body(Map.of("version", version))
                .put("/api/v1/tenants/" + tenant.slug() + "/models/" + v1.name() + "/settings");
    }

    @Test
    void newVersionServesOnlyOnceLoadedAndAFailedLoadKeepsThePreviousOneServing() throws Exception {
        Model v2 = fixtures.model(v1.name(), "PUBLIC", null, 2);
        FakeWorker w = worker().hold(v1.name(), 1, v1.file()).report(v1.name(), 2, "LOADING", null, 0).join();
        // v2 exists and is newer, but no worker has it READY yet: v1 answers
        infer().then().statusCode(200).header("x-aiaas-model-version", "1");
        w.report(v1.name(), 2, "FAILED", "the example request failed: out of memory", 0).heartbeat();
        infer().then().statusCode(200).header("x-aiaas-model-version", "1");
        Api.as(io.aiaas.platform.testsupport.Tokens.admin()).get("/admin/v1/models/" + v1.name()).then()
                .statusCode(200)
                .body("versions.find { it.version == 2 }.placements.find { it.worker_id == '" + w.id() + "' }.state",
                        equalTo("failed"))
                .body("versions.find { it.version == 2 }.placements.find { it.worker_id == '" + w.id() + "' }.reason",
                        equalTo("the example request failed: out of memory"));
        // naming v2 is the caller's choice: not ready anywhere, 503
        infer("/v2/models/" + v1.name() + "/versions/2/infer").then().statusCode(503);
        // loaded and warmed up at last: v2 takes the calls that name no version
        w.unreport(v1.name(), 2).hold(v1.name(), 2, v2.file()).heartbeat();
        infer().then().statusCode(200).header("x-aiaas-model-version", "2");
    }

    @Test
    void tenantPinsAVersionOrFollowsTheLatest() throws Exception {
        fixtures.model(v1.name(), "PUBLIC", null, 2);
        FakeWorker w = worker().hold(v1.name(), 1, v1.file()).join();
        String admin = Api.userOf(tenant.slug(), "admin").token();
        String member = Api.userOf(tenant.slug(), "member").token();
        String settings = "/api/v1/tenants/" + tenant.slug() + "/models/" + v1.name() + "/settings";
        Api.as(member).get(settings).then().statusCode(200).body("version", equalTo("latest"))
                .body("serving_version", equalTo(1)).body("ready", equalTo(true));
        // pinned to v2, which no worker holds: calls that name no version get a clear 503, metadata still answers
        putSettings(member, 2).then().statusCode(403);
        putSettings(admin, 2).then().statusCode(200).body("version", equalTo(2)).body("serving_version", equalTo(2))
                .body("ready", equalTo(false));
        Response refused = infer();
        refused.then().statusCode(503).body("error", containsString("pinned"));
        usage.one(refused).status(503).billable(false).errorCode("pinned_version_unavailable");
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + v1.name()).then().statusCode(200)
                .header("x-aiaas-model-version", "2");
        // v2 loads: the pin is served; then pinned back to v1 while v2 is the newest
        w.hold(v1.name(), 2, v1.file()).heartbeat();
        infer().then().statusCode(200).header("x-aiaas-model-version", "2");
        putSettings(admin, 1).then().statusCode(200);
        Api.as(member).get(settings).then().statusCode(200).body("version", equalTo(1));
        infer().then().statusCode(200).header("x-aiaas-model-version", "1");
        // a version that does not exist or is retired cannot be pinned; the pin stays
        putSettings(admin, 7).then().statusCode(404).body("code", equalTo("version_not_found"));
        putSettings(admin, "newest").then().statusCode(400).body("code", equalTo("invalid_version"));
        assertThat(db.value("SELECT pinned_version FROM tenant_model_settings WHERE tenant_id = ?", tenant.id()),
                equalTo(1));
        // following the latest again
        putSettings(admin, "latest").then().statusCode(200).body("version", equalTo("latest"));
        infer().then().statusCode(200).header("x-aiaas-model-version", "2");
        // another tenant is not affected by this tenant's pin
        assertThat(db.count("SELECT count(*) FROM tenant_model_settings WHERE model_id = ?", v1.id()), equalTo(1L));
    }

    @Test
    void theModelsRolloutHoldsANewVersionBackGivesItACanaryShareAndYieldsToATenantsPin() throws Exception {
        Model v2 = fixtures.model(v1.name(), "PUBLIC", null, 2);
        worker().hold(v1.name(), 1, v1.file()).hold(v1.name(), 2, v2.file()).join();
        String operator = io.aiaas.platform.testsupport.Tokens.admin();
        String rollout = "/admin/v1/models/" + v1.name() + "/rollout";
        infer().then().statusCode(200).header("x-aiaas-model-version", "2");

        // v1 stable: v2 is served to whoever names it, and takes no call that names no version
        Api.as(operator).body(Map.of("stable_version", 1)).put(rollout).then().statusCode(200)
                .body("rollout.stable_version", equalTo(1)).body("rollout.canary_version", equalTo(null));
        assertThat(versionsOf(20), equalTo(Map.of("1", 20)));
        infer("/v2/models/" + v1.name() + "/versions/2/infer").then().statusCode(200)
                .header("x-aiaas-model-version", "2");

        // v2 as a canary on a quarter of them, drawn per call
        Api.as(operator).body(Map.of("stable_version", 1, "canary_version", 2, "canary_percent", 25)).put(rollout)
                .then().statusCode(200).body("rollout.canary_version", equalTo(2))
                .body("rollout.canary_percent", equalTo(25));
        int calls = 800;
        int canary = versionsOf(calls).getOrDefault("2", 0);
        // 25 % of 800 is 200, one standard deviation 12: 152..248 is four of them either side
        assertThat(canary, greaterThanOrEqualTo(152));
        assertThat(canary, lessThan(249));

        // a tenant's own pin wins over the rollout
        String tenantAdmin = Api.userOf(tenant.slug(), "admin").token();
        putSettings(tenantAdmin, 1).then().statusCode(200);
        assertThat(versionsOf(40), equalTo(Map.of("1", 40)));
        putSettings(tenantAdmin, "latest").then().statusCode(200).body("serving_version", equalTo(1));

        // what is refused leaves the rollout as it was
        Api.as(operator).body(Map.of("canary_version", 2)).put(rollout).then().statusCode(400)
                .body("code", equalTo("invalid_rollout"));
        Api.as(operator).body(Map.of("stable_version", 2, "canary_version", 2, "canary_percent", 5)).put(rollout)
                .then().statusCode(400).body("code", equalTo("invalid_rollout"));
        Api.as(operator).body(Map.of("canary_version", 2, "canary_percent", 100)).put(rollout).then()
                .statusCode(400).body("code", equalTo("validation_failed"));
        Api.as(operator).body(Map.of("stable_version", 9)).put(rollout).then().statusCode(404)
                .body("code", equalTo("version_not_found"));
        Api.as(operator).body(Map.of()).put("/admin/v1/models/no-such-model/rollout").then().statusCode(404)
                .body("code", equalTo("model_not_found"));
        Api.as(tenantAdmin).body(Map.of()).put(rollout).then().statusCode(403);
        assertThat(db.value("SELECT canary_percent FROM models WHERE id = ?", v1.id()), equalTo(25));

        // the canary retired: it leaves the rollout, the stable version takes every call again
        Api.as(operator).delete("/admin/v1/models/" + v1.name() + "/versions/2").then().statusCode(204);
        Api.as(operator).get("/admin/v1/models/" + v1.name()).then().statusCode(200)
                .body("rollout.stable_version", equalTo(1)).body("rollout.canary_version", equalTo(null))
                .body("rollout.canary_percent", equalTo(null));
        assertThat(versionsOf(20), equalTo(Map.of("1", 20)));
        // an empty rollout follows the newest served version again
        Api.as(operator).body(Map.of()).put(rollout).then().statusCode(200).body("rollout.stable_version",
                equalTo(null));
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE action = 'model.rollout_changed' AND target_id = ?",
                v1.name()), equalTo(3L));
    }

    /** How many of {@code calls} calls that name no version each version answered. */
    private Map<String, Integer> versionsOf(int calls) {
        Map<String, Integer> answered = new java.util.TreeMap<>();
        for (int i = 0; i < calls; i++) {
            Response response = infer();
            response.then().statusCode(200);
            answered.merge(response.header("x-aiaas-model-version"), 1, Integer::sum);
        }
        return answered;
    }

    @Test
    void workerFailingRepeatedlyIsEjectedAtOnceAndBroughtBackByItsProbe() throws Exception {
        FakeWorker w = worker().hold(v1.name(), 1, v1.file()).join();
        infer().then().statusCode(200);
        w.answer(500, "{\"error\": \"boom\"}").ready(false);
        for (int i = 0; i < 3; i++) {
            infer().then().statusCode(502);
        }
        assertThat(dispatcher.isEjected(w.id()), equalTo(true));
        int callsBefore = w.inferCalls();
        // ejected: no call reaches it, even as the last worker; the client hears so at once
        long started = System.nanoTime();
        Response refused = infer();
        refused.then().statusCode(503).header("Retry-After", "1").body("error", containsString("could be reached"));
        assertThat((System.nanoTime() - started) / 1_000_000, lessThan(500L));
        assertThat(w.inferCalls(), equalTo(callsBefore));
        usage.one(refused).status(503).billable(false).errorCode("worker_unreachable");
        Counter ejections = meters.find(WorkerHealth.EJECTIONS).tag("worker", nameOf(w)).counter();
        assertThat(ejections.count(), greaterThanOrEqualTo(1.0));
        // its readiness says 503: it stays out
        w.behave();
        Thread.sleep(1200);
        assertThat(dispatcher.isEjected(w.id()), equalTo(true));
        // ready again: the probe (every 500 ms) brings it back
        w.ready(true);
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> !dispatcher.isEjected(w.id()));
        infer().then().statusCode(200);
    }

    @Test
    void refusedConnectionEjectsAtOnceAndTheCallMovesOn() throws Exception {
        FakeWorker refusing = worker().hold(v1.name(), 1, v1.file()).join();
        FakeWorker healthy = worker().hold(v1.name(), 1, v1.file()).join();
        refusing.stopServing();
        for (int i = 0; i < 20; i++) {
            infer().then().statusCode(200);
        }
        // one refusal was enough: at most one call ever went to it
        assertThat(dispatcher.isEjected(refusing.id()), equalTo(true));
        assertThat(healthy.inferCalls(), greaterThanOrEqualTo(20));
        Gauge inFlight = meters.find(WorkerHealth.IN_FLIGHT).tag("worker", nameOf(healthy)).gauge();
        assertThat(inFlight.value(), equalTo(0.0));
    }

    @Test
    void drainingWorkerGetsNoNewCallsAndDeregistrationDropsIt() throws Exception {
        FakeWorker draining = worker().hold(v1.name(), 1, v1.file()).join();
        FakeWorker other = worker().hold(v1.name(), 1, v1.file()).join();
        // it starts draining before its next heartbeat says so: its 503 "draining" moves the call and ejects it
        draining.stopHeartbeats();
        draining.drain();
        for (int i = 0; i < 30 && draining.inferCalls() == 0; i++) {
            infer().then().statusCode(200);
        }
        assertThat("the draining worker was never tried", draining.inferCalls(), equalTo(1));
        assertThat(dispatcher.isEjected(draining.id()), equalTo(true));
        for (int i = 0; i < 10; i++) {
            infer().then().statusCode(200);
        }
        assertThat(draining.inferCalls(), equalTo(1));
        // its heartbeat says so: every replica's routing leaves it out
        draining.heartbeat();
        assertThat(db.value("SELECT draining FROM workers WHERE id = ?", draining.id()), equalTo(true));
        // deregistration: 204, its rows are gone, the other worker serves alone
        assertThat(draining.deregister(), equalTo(204));
        // its row stays as GONE (usage rows name it) and is no longer listed
        assertThat(db.value("SELECT status FROM workers WHERE id = ?", draining.id()), equalTo("GONE"));
        io.restassured.RestAssured.given().header("Authorization", io.aiaas.platform.testsupport.Tokens.bearer(io.aiaas.platform.testsupport.Tokens.admin())).get("/admin/v1/workers")
                .then().statusCode(200).body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(draining.id().toString())));
        assertThat(db.count("SELECT count(*) FROM placements WHERE worker_id = ?", draining.id()), equalTo(0L));
        assertThat(draining.deregister(), equalTo(204));
        other.stopHeartbeats();
        assertThat(other.deregister(), equalTo(204));
        // no worker left: the routing table reloaded at once
        infer().then().statusCode(503).body("error", containsString("not ready"));
    }

    @Test
    void aBusyAnswerThatMentionsDrainingEjectsNothing() throws Exception {
        // a model's own 503 (queue full) whose message happens to say "draining": busy, not shutting down
        FakeWorker busy = worker().hold(v1.name(), 1, v1.file()).join();
        busy.answer(503, "{\"error\": \"model 'draining_tanks' version 1 cannot run right now (its queue is full)\"}",
                Map.of("retry-after", "1"));
        infer().then().statusCode(503).body("code", equalTo("worker_busy"));
        assertThat(busy.inferCalls(), equalTo(1));
        assertThat(dispatcher.isEjected(busy.id()), equalTo(false));
    }

    @Test
    void coldStartHeadersOfTheWorkerReachTheClient() throws Exception {
        FakeWorker w = worker().hold(v1.name(), 1, v1.file()).join();
        w.answer(200, "{\"model_name\": \"m\", \"outputs\": []}",
                Map.of("x-aiaas-cold-start", "true", "x-aiaas-load-ms", "42", "x-aiaas-device", "cpu"));
        infer().then().statusCode(200).header("x-aiaas-cold-start", "true").header("x-aiaas-load-ms", "42")
                .header("x-aiaas-device", "cpu");
        w.behave();
        Response warm = infer();
        warm.then().statusCode(200);
        assertThat(warm.header("x-aiaas-cold-start"), equalTo(null));
    }

    private String nameOf(FakeWorker w) {
        return (String) db.value("SELECT name FROM workers WHERE id = ?", w.id());
    }
}
