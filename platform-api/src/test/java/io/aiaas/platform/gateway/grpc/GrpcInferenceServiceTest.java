package io.aiaas.platform.gateway.grpc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.aiaas.engine.Tensor;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.Plans;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.protocol.BinaryTensors;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.aiaas.protocol.grpc.InferTensorContents;
import io.aiaas.protocol.grpc.ModelInferRequest;
import io.aiaas.protocol.grpc.ModelInferRequest.InferInputTensor;
import io.aiaas.protocol.grpc.ModelInferResponse;
import io.aiaas.protocol.grpc.ModelMetadataRequest;
import io.aiaas.protocol.grpc.ModelMetadataResponse;
import io.aiaas.protocol.grpc.ModelReadyRequest;
import io.aiaas.protocol.grpc.ServerLiveRequest;
import io.aiaas.protocol.grpc.ServerMetadataRequest;
import io.aiaas.protocol.grpc.ServerMetadataResponse;
import io.aiaas.protocol.grpc.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol over gRPC on the HTTP port, called with a plain grpc-java client built from the same
 * proto: answers equal to the HTTP gateway's bit for bit, one usage row per call priced as over HTTP, the platform's
 * refusals as gRPC statuses with the error code and Retry-After as metadata.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class GrpcInferenceServiceTest {

    private static final float[] X = {1f, 2f, 3f, -1f, 0.5f, 0.25f};
    private static final String JSON_BODY =
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,3],\"data\":[1,2,3,-1,0.5,0.25]}]}";

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    TestDb db;

    @Inject
    Plans plans;

    Tenant tenant;
    String key;
    Model model;
    FakeWorker worker;
    ManagedChannel channel;
    final AtomicReference<Metadata> headers = new AtomicReference<>();
    final AtomicReference<Metadata> trailers = new AtomicReference<>();

    @BeforeEach
    void setUp() throws Exception {
        tenant = fixtures.tenant();
        key = fixtures.key(tenant);
        model = fixtures.model("PUBLIC", fixtures.tenant());
        worker = FakeWorker.start("http://localhost:" + RestAssured.port)
                .hold(model.name(), 1, model.file()).join();
        // gRPC shares the HTTP port (h2c with prior knowledge, as plain grpc-java clients speak it)
        channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        worker.close();
    }

    /** A stub sending {@code authorization} (when not null) that records the answer's headers and trailers. */
    private GRPCInferenceServiceBlockingStub stub(String authorization) {
        Metadata metadata = new Metadata();
        if (authorization != null) {
            metadata.put(GrpcCall.AUTHORIZATION, authorization);
        }
        headers.set(null);
        trailers.set(null);
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    }

    private GRPCInferenceServiceBlockingStub stub() {
        return stub("Bearer " + key);
    }

    /** A stub with the key and one idempotency-key metadata entry per given value. */
    private GRPCInferenceServiceBlockingStub stubWithIdempotencyKeys(String... idempotencyKeys) {
        Metadata metadata = new Metadata();
        for (String idempotencyKey : idempotencyKeys) {
            metadata.put(GrpcCall.IDEMPOTENCY_KEY, idempotencyKey);
        }
        return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    private static String get(AtomicReference<Metadata> metadata, String name) {
        return metadata.get() == null ? null : metadata.get().get(GrpcCall.ascii(name));
    }

    private static ByteString fp32(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return ByteString.copyFrom(buffer.array());
    }

    private static InferInputTensor.Builder x() {
        return InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2).addShape(3);
    }

    private ModelInferRequest raw() {
        return ModelInferRequest.newBuilder().setModelName(model.name()).setId("grpc-1").addInputs(x())
                .addRawInputContents(fp32(X)).build();
    }

    /** The output y of the same input over HTTP JSON, as little-endian FP32 bytes. */
    private byte[] yOverHttp() {
        Response json = given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(JSON_BODY).post("/v2/models/" + model.name() + "/infer");
        json.then().statusCode(200);
        float[] y = new float[4];
        for (int i = 0; i < 4; i++) {
            y[i] = Float.parseFloat(json.jsonPath().getString("outputs[0].data[" + i + "]"));
        }
        return BinaryTensors.toBytes(Tensor.ofFp32("y", new long[] {2, 2}, y));
    }

    private StatusRuntimeException refused(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run);
    }

    @Test
    void rawFp32InferMatchesTheJsonHttpAnswerBitForBitAndIsMeteredOnce() {
        ModelInferResponse answer = stub().modelInfer(raw());
        // the worker got a binary tensor body, as from a Triton HTTP client
        assertTrue(worker.lastInferHeaders().get("content-type").startsWith("application/octet-stream"));
        assertNotEquals("null", worker.lastInferHeaders().get(InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH));

        assertEquals("grpc-1", answer.getId());
        assertEquals(1, answer.getOutputsCount());
        assertEquals("y", answer.getOutputs(0).getName());
        assertEquals("FP32", answer.getOutputs(0).getDatatype());
        assertEquals(List.of(2L, 2L), answer.getOutputs(0).getShapeList());
        assertFalse(answer.getOutputs(0).hasContents(), "outputs come back raw");
        assertArrayEquals(yOverHttp(), answer.getRawOutputContents(0).toByteArray(), "gRPC and HTTP agree bit for bit");
        float[][] expected = Fixtures.LINEAR.forward(new float[][] {{1, 2, 3}, {-1, 0.5f, 0.25f}});
        float y10 = ByteBuffer.wrap(answer.getRawOutputContents(0).toByteArray()).order(ByteOrder.LITTLE_ENDIAN)
                .getFloat(8);
        assertEquals(expected[1][0], y10, 1e-6f);

        // what the HTTP answer says in headers comes as response metadata
        assertEquals("1", get(headers, "x-aiaas-model-version"));
        assertNotNull(get(headers, "x-aiaas-device"));
        assertEquals("0", get(headers, "x-aiaas-cost"), "a tenant without a plan is not charged");
        String requestId = get(headers, "x-request-id");
        assertNotNull(requestId);
        List<String> ids = new java.util.ArrayList<>();
        headers.get().getAll(GrpcCall.REQUEST_ID).forEach(ids::add);
        assertEquals(List.of(requestId), ids, "one request id, the one that keys the usage row");
        UsageRows.Row row = usage.one(requestId).status(200).billable(true).endpoint("infer").items(2)
                .modelName(model.name()).modelVersion(1).tenant(tenant.id());
        assertThat((Long) row.get("bytes_in"), greaterThan(24L));
    }

    @Test
    void aNamedDeprecatedVersionSaysItsSunsetInTheResponseMetadata() {
        Instant sunsetAt = Instant.parse("2031-01-31T00:00:00Z");
        Api.as(Tokens.admin()).body(Map.of("sunset_at", sunsetAt.toString()))
                .put("/admin/v1/models/" + model.name() + "/versions/1/sunset").then().statusCode(200);
        stub().modelInfer(raw());
        assertNull(get(headers, "sunset"), "a call that names no version is not told");
        stub().modelInfer(raw().toBuilder().setModelVersion("1").build());
        assertEquals("Fri, 31 Jan 2031 00:00:00 GMT", get(headers, "sunset"));
        assertTrue(get(headers, "deprecation").matches("@\\d+"), get(headers, "deprecation"));
    }

    @Test
    void aKeyUsedFromOutsideItsNetworksIsPermissionDeniedAndRecorded() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        String scoped = Api.as(alice.token()).body(Map.of("name", "office", "allowed_networks",
                List.of("203.0.113.0/24"))).post("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(201)
                .extract().path("key");
        StatusRuntimeException denied = refused(() -> stub("Bearer " + scoped).modelInfer(raw()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals("network_not_allowed", get(trailers, GrpcAnswers.ERROR_CODE));
        assertTrue(denied.getStatus().getDescription().contains("this call came from "),
                denied.getStatus().getDescription());
        usage.one(get(trailers, "x-request-id")).status(403).billable(false).errorCode("network_not_allowed");
    }

    @Test
    void typedContentsAnswerLikeRawContents() {
        byte[] fromRaw = stub().modelInfer(raw()).getRawOutputContents(0).toByteArray();
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float value : X) {
            contents.addFp32Contents(value);
        }
        ModelInferRequest typed = ModelInferRequest.newBuilder().setModelName(model.name())
                .addInputs(x().setContents(contents))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y")).build();
        ModelInferResponse answer = stub().modelInfer(typed);
        assertEquals("y", answer.getOutputs(0).getName());
        assertArrayEquals(fromRaw, answer.getRawOutputContents(0).toByteArray());
        usage.one(get(headers, "x-request-id")).status(200).billable(true).items(2);
    }

    @Test
    void tenantOnAPlanIsPricedAsOverHttpWithRateLimitMetadata() {
        String name = "grpc-" + UUID.randomUUID();
        UUID planId = plans.create(name, "USD", Plans.spec(name, """
                {"requests_per_minute_per_key": 100}""", null, null, Plans.perRequest(2000)));
        plans.assign(tenant.id(), planId);

        stub().modelInfer(raw());
        String requestId = get(headers, "x-request-id");
        Response http = given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(JSON_BODY).post("/v2/models/" + model.name() + "/infer");
        http.then().statusCode(200);

        assertEquals(http.header("x-aiaas-cost"), get(headers, "x-aiaas-cost"));
        assertEquals(Money.ofNanos(2000), get(headers, "x-aiaas-cost"));
        assertEquals("USD", get(headers, "x-aiaas-currency"));
        assertEquals("100", get(headers, "x-ratelimit-limit-requests"));
        assertNotNull(get(headers, "x-ratelimit-remaining-requests"));
        assertNotNull(get(headers, "x-ratelimit-reset-requests"));
        UsageRows.Row grpcRow = usage.one(requestId).billable(true).has("plan_id", planId);
        UsageRows.Row httpRow = usage.one(http);
        assertEquals(httpRow.get("cost_nanos"), grpcRow.get("cost_nanos"));
        assertEquals(2000L, grpcRow.get("cost_nanos"));
    }

    @Test
    void quotaRefusalIsResourceExhaustedWithRetryAfterAndRecordedUnbilled() {
        String name = "grpc-" + UUID.randomUUID();
        plans.assign(tenant.id(), plans.create(name, "USD", Plans.spec(name, null, """
                [{"metric": "requests", "limit": 1, "enforcement": "hard"}]""", null, Plans.perRequest(1000))));
        stub().modelInfer(raw());

        StatusRuntimeException refused = refused(() -> stub().modelInfer(raw()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        assertEquals("quota_exceeded", get(trailers, GrpcAnswers.ERROR_CODE));
        assertNotNull(get(trailers, "retry-after"));
        assertEquals("0", get(trailers, "x-aiaas-cost"));
        assertThat(refused.getStatus().getDescription(), containsString("quota"));
        usage.one(get(trailers, "x-request-id")).status(429).billable(false).errorCode("quota_exceeded");
    }

    @Test
    void missingOrUnknownKeyIsUnauthenticatedAndLeavesNoRow() {
        int calls = worker.inferCalls();
        for (String authorization : new String[] {null, "Bearer aiaas_not_a_key", "aiaas_not_a_key"}) {
            StatusRuntimeException refused = refused(() -> stub(authorization).modelInfer(raw()));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), String.valueOf(authorization));
            assertNotNull(get(trailers, GrpcAnswers.ERROR_CODE));
            usage.none(get(trailers, "x-request-id"));
        }
        assertEquals(calls, worker.inferCalls());
    }

    @Test
    void aBareKeyIsAcceptedLikeABearerOne() {
        stub(key).modelInfer(raw());
        usage.one(get(headers, "x-request-id")).status(200);
    }

    @Test
    void anotherTenantsPrivateModelIsNotFoundExactlyLikeAMissingOne() {
        Model secret = fixtures.model("PRIVATE", fixtures.tenant());
        StatusRuntimeException hidden = refused(() -> stub().modelInfer(raw().toBuilder()
                .setModelName(secret.name()).build()));
        String missingName = secret.name() + "-missing";
        StatusRuntimeException missing = refused(() -> stub().modelInfer(raw().toBuilder()
                .setModelName(missingName).build()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        assertEquals("model " + secret.name() + " not found", hidden.getStatus().getDescription());
        assertEquals("model " + missingName + " not found", missing.getStatus().getDescription());
        assertEquals("model_not_found", get(trailers, GrpcAnswers.ERROR_CODE));
        // HTTP says the same words
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + secret.name()).then().statusCode(404)
                .body("error", org.hamcrest.Matchers.equalTo(hidden.getStatus().getDescription()));
    }

    @Test
    void malformedRequestsAreInvalidArgumentWithoutAWorkerCall() {
        int calls = worker.inferCalls();
        ModelInferRequest twoRaw = raw().toBuilder().addRawInputContents(fp32(1f)).build();
        ModelInferRequest both = raw().toBuilder().setInputs(0, x().setContents(InferTensorContents.newBuilder()
                .addFp32Contents(1f))).build();
        ModelInferRequest unknownType = raw().toBuilder().setInputs(0, x().setDatatype("FP128")).build();
        ModelInferRequest shortRaw = raw().toBuilder().setRawInputContents(0, fp32(1f, 2f)).build();
        ModelInferRequest wrongField = ModelInferRequest.newBuilder().setModelName(model.name())
                .addInputs(x().setContents(InferTensorContents.newBuilder().addAllInt64Contents(
                        List.of(1L, 2L, 3L, 4L, 5L, 6L)))).build();
        String[] words = {"raw_input_contents has 2 entries for 1 inputs", "give the data of every input one way",
            "unknown datatype 'FP128'", "needs 24", "give its data in fp32_contents"};
        ModelInferRequest[] requests = {twoRaw, both, unknownType, shortRaw, wrongField};
        for (int i = 0; i < requests.length; i++) {
            ModelInferRequest request = requests[i];
            StatusRuntimeException refused = refused(() -> stub().modelInfer(request));
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
            assertThat(refused.getStatus().getDescription(), containsString(words[i]));
            assertEquals("invalid_input", get(trailers, GrpcAnswers.ERROR_CODE));
            // refused before the gateway, like a malformed HTTP request: no usage row
            usage.none(get(trailers, "x-request-id"));
        }
        assertEquals(calls, worker.inferCalls());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIsReplayedAndBilledOnceAndTwoKeysAreRefused() {
        String idem = "grpc-order-" + UUID.randomUUID();
        int calls = worker.inferCalls();
        ModelInferResponse first = stubWithIdempotencyKeys(idem).modelInfer(raw());
        String firstId = get(headers, "x-request-id");
        ModelInferResponse retry = stubWithIdempotencyKeys(idem).modelInfer(raw());
        assertEquals(first, retry, "the first answer, replayed");
        assertEquals("true", get(headers, "x-aiaas-idempotent-replay"));
        assertEquals(firstId, get(headers, "x-aiaas-original-request-id"));
        assertEquals(calls + 1, worker.inferCalls(), "the retry never reached a worker");
        usage.one(get(headers, "x-request-id")).billable(false).status(200).errorCode("idempotent_replay");

        StatusRuntimeException twice = refused(() -> stubWithIdempotencyKeys(idem, "other").modelInfer(raw()));
        assertEquals(Status.Code.INVALID_ARGUMENT, twice.getStatus().getCode());
        assertThat(twice.getStatus().getDescription(), containsString("sent 2 times"));
        assertEquals("invalid_idempotency_key", get(trailers, GrpcAnswers.ERROR_CODE));
        usage.one(get(trailers, "x-request-id")).billable(false).status(400).errorCode("invalid_idempotency_key");
        assertEquals(1L, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND billable",
                tenant.id()));
        assertEquals(calls + 1, worker.inferCalls());
    }

    @Test
    void theWorkersOwnRefusalIsInvalidArgumentWithItsMessageAndAnUnbilledRow() {
        ModelInferRequest wrongName = raw().toBuilder().setInputs(0, x().setName("z")).build();
        StatusRuntimeException refused = refused(() -> stub().modelInfer(wrongName));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertThat(refused.getStatus().getDescription(), containsString("z"));
        assertFalse(refused.getStatus().getDescription().contains("Exception"), "no class names or stack traces");
        usage.one(get(trailers, "x-request-id")).status(400).billable(false);
    }

    @Test
    void metadataReadinessAndLivenessAnswer() {
        ModelMetadataResponse metadata = stub().modelMetadata(ModelMetadataRequest.newBuilder()
                .setName(model.name()).build());
        assertEquals(model.name(), metadata.getName());
        assertEquals(List.of("1"), metadata.getVersionsList());
        assertEquals("onnxruntime_onnx", metadata.getPlatform());
        assertEquals("x", metadata.getInputs(0).getName());
        assertEquals("FP32", metadata.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 3L), metadata.getInputs(0).getShapeList());
        assertEquals("y", metadata.getOutputs(0).getName());
        usage.one(get(headers, "x-request-id")).endpoint("metadata").status(200);

        assertTrue(stub().modelReady(ModelReadyRequest.newBuilder().setName(model.name()).setVersion("1").build())
                .getReady());
        usage.one(get(headers, "x-request-id")).endpoint("ready").status(200);
        Model idle = fixtures.model("PUBLIC", tenant);
        assertFalse(stub().modelReady(ModelReadyRequest.newBuilder().setName(idle.name()).build()).getReady(),
                "a model no worker holds is not ready");
        assertEquals(Status.Code.NOT_FOUND, refused(() -> stub().modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("no-such-model-" + UUID.randomUUID()).build())).getStatus().getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, refused(() -> stub(null).modelReady(ModelReadyRequest.newBuilder()
                .setName(model.name()).build())).getStatus().getCode());

        // the server probes need no key
        assertTrue(stub(null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub(null).serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertNull(get(trailers, GrpcAnswers.ERROR_CODE));
        // the server's metadata says over gRPC what GET /v2 says over HTTP
        ServerMetadataResponse server = stub(null).serverMetadata(ServerMetadataRequest.getDefaultInstance());
        io.restassured.path.json.JsonPath http = io.restassured.RestAssured.get("/v2").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("aiaas", server.getName());
        assertEquals(http.getString("name"), server.getName());
        assertEquals(http.getString("version"), server.getVersion());
        assertEquals(http.getList("extensions"), server.getExtensionsList());
        assertEquals(java.util.List.of("binary_tensor_data"), server.getExtensionsList());
    }

    /** A call past its deadline is abandoned like an HTTP call whose client left: recorded 499, never billed. */
    @Test
    void aCallPastItsDeadlineIsAbandonedAndNeverBilled() throws Exception {
        stub().modelInfer(raw());
        worker.stall(java.time.Duration.ofMillis(800));
        StatusRuntimeException late = refused(() -> stub().withDeadlineAfter(250, TimeUnit.MILLISECONDS)
                .modelInfer(raw()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (usage.ofKey(key).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<UsageRows.Row> rows = usage.ofKey(key);
        assertEquals(2, rows.size());
        rows.get(0).status(200).billable(true);
        rows.get(1).status(499).billable(false).errorCode("client_gone");
    }
}
