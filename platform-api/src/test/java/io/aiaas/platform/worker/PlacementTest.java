package io.aiaas.platform.worker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.worker.service.PlacementService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Placement through the real API and PostgreSQL: the policy decides which registered workers are told to hold a
 * version (min, max, device, memory budgets and reported memory), and the admin view shows it.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class PlacementTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    @Inject
    PlacementService placement;

    final List<FakeWorker> workers = new ArrayList<>();
    Model model;

    @BeforeEach
    void setUp() {
        // workers left by other tests would take placements: these tests count on their own workers only
        db.update("DELETE FROM workers");
        model = fixtures.model("PUBLIC", null);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(FakeWorker::close);
        db.update("DELETE FROM workers");
    }

    private FakeWorker worker(String name, String device, long hostBudget, long deviceBudget) throws Exception {
        FakeWorker worker = FakeWorker.start().named(name + "-" + UUID.randomUUID().toString().substring(0, 6))
                .device(device, hostBudget, deviceBudget);
        workers.add(worker);
        // heartbeats every 500 ms keep it live however slow the machine is (a silent worker holds nothing)
        worker.join();
        return worker;
    }

    /** Plans now, then asks each worker's heartbeat what it should hold; answers the workers holding the model. */
    private List<FakeWorker> holdersAfterPlanning() throws Exception {
        placement.plan();
        List<FakeWorker> holders = new ArrayList<>();
        for (FakeWorker w : workers) {
            w.heartbeat();
            if (w.desired().contains(model.name() + "/1")) {
                holders.add(w);
            }
        }
        return holders;
    }

    private Response putPlacement(Map<String, Object> policy) {
        return Api.as(Tokens.admin()).body(policy).put("/admin/v1/models/" + model.name() + "/placement");
    }

    @Test
    void withTheDefaultPolicyEveryWorkerHoldsTheVersion() throws Exception {
        worker("a", "cpu", 0, 0);
        worker("b", "cpu", 0, 0);
        assertThat(holdersAfterPlanning().size(), equalTo(2));
        // the first heartbeat after registration already lists it: registration plans at once
        FakeWorker late = worker("c", "cpu", 0, 0);
        assertThat(late.heartbeat().toString(), late.desired(), hasItem(model.name() + "/1"));
    }

    @Test
    void maxOneOnTwoWorkersPlacesItOnOneAndKeepsItThere() throws Exception {
        worker("a", "cpu", 0, 0);
        worker("b", "cpu", 0, 0);
        putPlacement(Map.of("min_replicas", 1, "max_replicas", 1)).then().statusCode(200)
                .body("placement.min_replicas", equalTo(1)).body("placement.max_replicas", equalTo(1))
                .body("placement.device", equalTo("any"));
        List<FakeWorker> holders = holdersAfterPlanning();
        assertThat(holders.size(), equalTo(1));
        assertThat(db.count("SELECT count(*) FROM assignments WHERE model_version_id = ?", model.versionId()),
                equalTo(1L));
        // stable: planning again (as every replica does each second) moves nothing
        FakeWorker holder = holders.get(0);
        assertThat(holdersAfterPlanning(), equalTo(List.of(holder)));
        // the admin view shows where it is assigned, before the worker reported anything
        Api.as(Tokens.admin()).get("/admin/v1/models/" + model.name()).then().statusCode(200)
                .body("versions[0].placements.size()", equalTo(1))
                .body("versions[0].placements[0].worker_id", equalTo(holder.id().toString()))
                .body("versions[0].placements[0].state", equalTo("assigned"))
                .body("versions[0].placements[0].assigned", equalTo(true));
        // raising the max places it on the other worker too
        putPlacement(Map.of("max_replicas", 2)).then().statusCode(200);
        assertThat(holdersAfterPlanning().size(), equalTo(2));
    }

    @Test
    void concurrentPlansOfSeveralReplicasAgree() throws Exception {
        worker("a", "cpu", 0, 0);
        worker("b", "cpu", 0, 0);
        worker("c", "cpu", 0, 0);
        db.update("UPDATE models SET max_replicas = 1 WHERE id = ?", model.id());
        db.update("DELETE FROM assignments WHERE model_version_id = ?", model.versionId());
        // eight planners at once, as replicas would: the advisory lock makes them take turns on one table
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> plans = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                plans.add(pool.submit(placement::plan));
            }
            int changed = 0;
            for (var plan : plans) {
                changed += plan.get();
            }
            // one of them placed it (or the scheduled plan of this replica did, just before): none placed it twice
            assertThat("only one plan changed anything", changed, lessThanOrEqualTo(1));
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.count("SELECT count(*) FROM assignments WHERE model_version_id = ?", model.versionId()),
                equalTo(1L));
    }

    @Test
    void gpuModelGoesOnlyToCudaWorkersAndCpuModelOnlyToCpuWorkers() throws Exception {
        FakeWorker cpu = worker("cpu", "cpu", 0, 0);
        putPlacement(Map.of("device", "gpu")).then().statusCode(200).body("placement.device", equalTo("gpu"));
        assertThat(holdersAfterPlanning(), equalTo(List.of()));
        FakeWorker gpu = worker("gpu", "cuda", 0, 0);
        assertThat(holdersAfterPlanning(), equalTo(List.of(gpu)));
        putPlacement(Map.of("device", "cpu")).then().statusCode(200);
        assertThat(holdersAfterPlanning(), equalTo(List.of(cpu)));
    }

    @Test
    void workerWithoutRoomGetsNoneUntilReportsShowItFits() throws Exception {
        // the estimate before any report is twice the artifact: a budget of the artifact's size is too small
        FakeWorker small = worker("small", "cpu", model.size(), 0);
        FakeWorker roomy = worker("roomy", "cpu", 0, 0);
        assertThat(holdersAfterPlanning(), equalTo(List.of(roomy)));
        // the roomy worker loads it and reports what it really takes: a tenth of the artifact
        roomy.report(model.name(), 1, "READY", null, model.size() / 10);
        roomy.heartbeat();
        List<FakeWorker> holders = holdersAfterPlanning();
        assertThat(holders.size(), equalTo(2));
        assertThat(holders, hasItem(small));
        assertThat(db.value("SELECT memory_bytes FROM placements WHERE worker_id = ? AND model_version_id = ?",
                roomy.id(), model.versionId()), equalTo(model.size() / 10));
    }

    @Test
    void drainingWorkerGetsNoNewPlacementsAndItsVersionsArePlacedElsewhere() throws Exception {
        FakeWorker a = worker("a", "cpu", 0, 0);
        FakeWorker b = worker("b", "cpu", 0, 0);
        putPlacement(Map.of("max_replicas", 1)).then().statusCode(200);
        FakeWorker holder = holdersAfterPlanning().get(0);
        FakeWorker other = holder == a ? b : a;
        holder.report(model.name(), 1, "READY", null, 100).drain();
        holder.heartbeat();
        assertThat(db.value("SELECT draining FROM workers WHERE id = ?", holder.id()), equalTo(true));
        // the draining worker keeps its copy (it finishes its calls) and the other one is told to load it
        List<FakeWorker> holders = holdersAfterPlanning();
        assertThat(holders.size(), equalTo(2));
        assertThat(holders, hasItem(other));
        // it deregisters: its rows go, the other keeps the version
        assertThat(holder.deregister(), equalTo(204));
        // its row stays as GONE (usage rows name it) and is no longer listed
        assertThat(db.value("SELECT status FROM workers WHERE id = ?", holder.id()), equalTo("GONE"));
        io.restassured.RestAssured.given().header("Authorization", io.aiaas.platform.testsupport.Tokens.bearer(io.aiaas.platform.testsupport.Tokens.admin())).get("/admin/v1/workers")
                .then().statusCode(200).body("id", org.hamcrest.Matchers.not(hasItem(holder.id().toString())));
        assertThat(db.count("SELECT count(*) FROM placements WHERE worker_id = ?", holder.id()), equalTo(0L));
        assertThat(db.count("SELECT count(*) FROM assignments WHERE worker_id = ?", holder.id()), equalTo(0L));
        workers.remove(holder);
        holder.close();
        assertThat(holdersAfterPlanning(), equalTo(List.of(other)));
    }

    @Test
    void adminViewShowsThePolicyAndWhyALoadFailed() throws Exception {
        FakeWorker w = worker("a", "cpu", 0, 0);
        Api.as(Tokens.admin()).get("/admin/v1/models/" + model.name()).then().statusCode(200)
                .body("placement.min_replicas", equalTo(1))
                .body("placement.max_replicas", equalTo(null))
                .body("placement.device", equalTo("any"));
        w.report(model.name(), 1, "FAILED", "out of memory: needs 3 GB, the budget has 1 GB left", 0).heartbeat();
        Api.as(Tokens.admin()).get("/admin/v1/models/" + model.name()).then().statusCode(200)
                .body("versions[0].placements[0].state", equalTo("failed"))
                .body("versions[0].placements[0].reason", equalTo("out of memory: needs 3 GB, the budget has 1 GB left"))
                .body("versions[0].placements[0].assigned", equalTo(true));
        Api.as(Tokens.admin()).get("/admin/v1/workers").then().statusCode(200);
        // a failed copy stays placed (the reason stays visible) and is not placed again on the same worker
        assertThat(holdersAfterPlanning(), equalTo(List.of(w)));
        String audited = "SELECT count(*) FROM audit_log WHERE target_id = ? AND action = 'model.placement_set'";
        assertThat(db.count(audited, model.name()), equalTo(0L));
        putPlacement(Map.of("min_replicas", 0)).then().statusCode(200);
        assertThat(db.count(audited, model.name()), equalTo(1L));
    }

    @Test
    void invalidPoliciesAreRefusedAndLeaveThePolicyAlone() {
        putPlacement(Map.of("min_replicas", 3, "max_replicas", 2)).then().statusCode(400)
                .body("code", equalTo("invalid_placement"));
        Map<String, Object> badDevice = new HashMap<>();
        badDevice.put("device", "tpu");
        putPlacement(badDevice).then().statusCode(400);
        Api.as(Tokens.admin()).body(Map.of("min_replicas", 1)).put("/admin/v1/models/no-such-model-x/placement")
                .then().statusCode(404).body("code", equalTo("model_not_found"));
        assertThat(db.value("SELECT min_replicas FROM models WHERE id = ?", model.id()), equalTo(1));
        assertThat(db.value("SELECT max_replicas FROM models WHERE id = ?", model.id()), equalTo(null));
        assertThat(Set.of(db.value("SELECT device_requirement FROM models WHERE id = ?", model.id())),
                not(hasItem("TPU")));
    }
}
