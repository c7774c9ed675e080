package io.aiaas.platform.dispatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the gateway answers what a worker does wrong: the client's mistakes (a worker 4xx) reach the client as they are,
 * the worker's own failures (a 5xx) become 502 and are never billed, and a worker that dies on a kept-alive connection
 * is left for another one, the call billed once.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WorkerErrorMappingTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}""";

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    Dispatcher dispatcher;

    @Inject
    WorkerHealth health;

    String key;
    Model model;
    final List<FakeWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        key = fixtures.key(fixtures.tenant());
        model = fixtures.model("PUBLIC", null);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(FakeWorker::close);
    }

    private FakeWorker worker() throws Exception {
        FakeWorker worker = FakeWorker.start()
                .hold(model.name(), 1, model.file()).join();
        workers.add(worker);
        return worker;
    }

    private Response infer() {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer");
    }

    @Test
    void workers400PassesThroughWithTheWorkersMessageUnbilled() throws Exception {
        FakeWorker worker = worker().answer(400, "{\"error\": \"input 'x': expected shape [-1, 3], got [1, 2]\"}");
        Response response = infer();
        response.then().statusCode(400).contentType("application/json")
                .body("error", equalTo("input 'x': expected shape [-1, 3], got [1, 2]"));
        usage.one(response).status(400).billable(false).errorCode("worker_400").worker(worker.id()).items(0);
        assertThat(worker.inferCalls(), equalTo(1));
    }

    @Test
    void workers500Becomes502WorkerFailedNeverItsBodyAndIsNotBilled() throws Exception {
        FakeWorker worker = worker().answer(500, "{\"error\": \"inference failed: /onnxruntime_src/core/x.cc:42 boom\"}");
        Response response = infer();
        response.then().statusCode(502).contentType("application/json")
                .body("error", containsString("worker failed"))
                .body("error", not(containsString("onnxruntime_src")))
                .body("error", containsString(UsageRows.requestIdOf(response)));
        usage.one(response).status(502).billable(false).errorCode("worker_failed").worker(worker.id());
        // one call, not retried elsewhere: the model may have run, and a second run could fail the same way
        assertThat(worker.inferCalls(), equalTo(1));
    }

    @Test
    void otherWorkerFailuresAre502Too() throws Exception {
        FakeWorker worker = worker();
        for (int status : new int[] {401, 403, 501, 502, 504}) {
            // failures in a row eject the worker; its readiness probe (200) brings it back within a second
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !dispatcher.isEjected(worker.id()));
            worker.answer(status, "{\"error\": \"worker says " + status + "\"}");
            Response response = infer();
            response.then().statusCode(502).body("error", not(containsString("worker says")));
            usage.one(response).status(502).billable(false).errorCode("worker_failed");
        }
    }

    @Test
    void brokenKeepAliveConnectionIsRetriedOnAnotherWorkerAndBilledOnce() throws Exception {
        FakeWorker dying = worker().breakMidResponse();
        FakeWorker healthy = worker();
        // Ties are broken at random: call until the dying worker got a call once; every call must be answered 200.
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 30 && dying.inferCalls() == 0; i++) {
            Response response = infer();
            response.then().statusCode(200).body("outputs[0].name", equalTo("y"));
            requestIds.add(UsageRows.requestIdOf(response));
        }
        assertThat("the dying worker was never tried", dying.inferCalls(), greaterThan(0));
        assertThat("the broken connection counts as a failure of the worker",
                health.consecutiveFailures(dying.id()), greaterThan(0));
        for (String id : requestIds) {
            usage.one(id).status(200).billable(true).errorCode(null).worker(healthy.id());
        }
        assertThat(healthy.inferCalls(), equalTo(requestIds.size()));
        assertThat(usage.ofKey(key), hasSize(requestIds.size()));
    }

    @Test
    void brokenConnectionWithoutAnotherWorkerIs503WorkerUnreachable() throws Exception {
        FakeWorker dying = worker().breakMidResponse();
        Response response = infer();
        response.then().statusCode(503).header("Retry-After", "1").contentType("application/json")
                .body("error", containsString("could be reached"));
        usage.one(response).status(503).billable(false).errorCode("worker_unreachable").worker(dying.id());
        assertThat(dying.inferCalls(), equalTo(1));
    }
}
