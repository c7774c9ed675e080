package io.aiaas.platform.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.Plans;
import io.aiaas.platform.testsupport.Scrape;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc;
import io.aiaas.protocol.grpc.ModelInferRequest;
import io.aiaas.protocol.grpc.ModelInferRequest.InferInputTensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-tenant meters at /q/metrics after a known load, over REST and gRPC: names, tags and exact values; and the
 * scrape needs no credentials while /v2 and /admin still do.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class TenantMetricsTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, -1, 0.5, 0.25]}]}""";

    @Inject
    Fixtures fixtures;

    @Inject
    Plans plans;

    Model model;
    FakeWorker worker;

    @BeforeEach
    void setUp() throws Exception {
        model = fixtures.model("PUBLIC", fixtures.tenant());
        worker = FakeWorker.start("http://localhost:" + RestAssured.port)
                .hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    static Scrape scrape() {
        String text = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain")).extract().asString();
        return Scrape.parse(text);
    }

    private Response infer(String key, String model) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model + "/infer");
    }

    @Test
    void scrapingNeedsNoCredentialsWhileTheApiStillDoes() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("# TYPE jvm_memory_used_bytes gauge"));
        given().get("/v2/models/" + model.name()).then().statusCode(401);
        given().contentType("application/json").body(BODY).post("/v2/models/" + model.name() + "/infer").then()
                .statusCode(401);
        given().get("/admin/v1/tenants").then().statusCode(401);
    }

    @Test
    void callsOverRestAndGrpcAreCountedOncePerTenantWithErrorsAndBillableItems() throws Exception {
        Tenant a = fixtures.tenant();
        String key = fixtures.key(a);
        for (int i = 0; i < 4; i++) {
            infer(key, model.name()).then().statusCode(200);
        }
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
        try {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
            ByteBuffer x = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : new float[] {1, 2, 3, -1, 0.5f, 0.25f}) {
                x.putFloat(v);
            }
            GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                    .modelInfer(ModelInferRequest.newBuilder().setModelName(model.name())
                            .addInputs(InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2)
                                    .addShape(3))
                            .addRawInputContents(ByteString.copyFrom(x.array())).build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // the worker finds the input wrong; then a model the tenant cannot see
        worker.answer(400, "{\"error\": \"input 'x' is wrong\"}");
        infer(key, model.name()).then().statusCode(400);
        worker.behave();
        infer(key, "no-such-model-" + UUID.randomUUID()).then().statusCode(404);

        Scrape s = scrape();
        String t = a.slug();
        assertEquals(6, s.value("aiaas_tenant_request_total", "tenant", t, "model", model.name()), s.text());
        assertEquals(1, s.value("aiaas_tenant_request_total", "tenant", t, "model", "_none"));
        assertEquals(2, s.find("aiaas_tenant_request_total", "tenant", t).size(), "one series per model");
        assertEquals(10, s.value("aiaas_tenant_billable_items_total", "tenant", t, "model", model.name()),
                "5 answered calls of 2 rows");
        assertEquals(1, s.value("aiaas_tenant_error_total", "tenant", t, "reason", "worker_400"));
        assertEquals(1, s.value("aiaas_tenant_error_total", "tenant", t, "reason", "model_not_found"));
        assertEquals(2, s.find("aiaas_tenant_error_total", "tenant", t).size());
        assertEquals(0, s.find("aiaas_tenant_refusal_total", "tenant", t).size());
        for (Scrape.Sample sample : s.find("aiaas_tenant_request_total")) {
            assertEquals(2, sample.labels().size(), "tenant and model only: " + sample);
        }
    }

    @Test
    void rateLimitRefusalsAreCountedForTheirTenantOnly() {
        Tenant b = fixtures.tenant();
        String keyB = fixtures.key(b);
        String name = "p-" + UUID.randomUUID();
        plans.assign(b.id(), plans.create(name, "USD", Plans.spec(name, """
                {"requests_per_minute_per_key": 2}""", null, null, Plans.perRequest(1000))));
        Tenant c = fixtures.tenant();
        String keyC = fixtures.key(c);

        int answered = 0;
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            int status = infer(keyB, model.name()).statusCode();
            if (status == 200) {
                answered++;
            } else {
                assertEquals(429, status);
                refused++;
            }
            infer(keyC, model.name()).then().statusCode(200);
        }

        Scrape s = scrape();
        // a call in a new minute window may be admitted again: the counts follow what the calls got
        assertTrue(refused >= 1, "refused " + refused);
        assertEquals(refused, s.value("aiaas_tenant_refusal_total", "tenant", b.slug(), "reason", "rate_limited"),
                s.text());
        assertEquals(5, s.value("aiaas_tenant_request_total", "tenant", b.slug(), "model", model.name()));
        assertEquals(2 * answered, s.value("aiaas_tenant_billable_items_total", "tenant", b.slug(), "model",
                model.name()));
        assertEquals(0, s.find("aiaas_tenant_error_total", "tenant", b.slug()).size(), "a refusal is not an error");
        assertEquals(0, s.find("aiaas_tenant_refusal_total", "tenant", c.slug()).size());
        assertEquals(5, s.value("aiaas_tenant_request_total", "tenant", c.slug(), "model", model.name()));
        assertEquals(10, s.value("aiaas_tenant_billable_items_total", "tenant", c.slug(), "model", model.name()));
    }
}
