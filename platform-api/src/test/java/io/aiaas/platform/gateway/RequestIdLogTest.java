package io.aiaas.platform.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.LogCapture;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc;
import io.aiaas.protocol.grpc.ModelInferRequest;
import io.aiaas.protocol.grpc.ModelInferRequest.InferInputTensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every log line of a call's path carries its request id in the MDC, whichever thread writes it: the event loop that
 * gets the worker's answer, the pool that settles the call, over REST and gRPC; and the JSON console format prints it.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class RequestIdLogTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, -1, 0.5, 0.25]}]}""";
    /** The categories of a call's path; DEBUG while a test watches, so that a successful call logs too. */
    static final String[] PATH = {"io.aiaas.platform.gateway", "io.aiaas.platform.dispatch"};

    @Inject
    Fixtures fixtures;

    Model model;
    FakeWorker worker;
    String key;

    @BeforeEach
    void setUp() throws Exception {
        model = fixtures.model("PUBLIC", fixtures.tenant());
        key = fixtures.key(fixtures.tenant());
        worker = FakeWorker.start("http://localhost:" + RestAssured.port)
                .hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private Response infer() {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer");
    }

    private static List<ExtLogRecord> ofThePath(LogCapture logs) {
        return logs.matching(r -> r.getLoggerName() != null && (r.getLoggerName().startsWith(PATH[0])
                || r.getLoggerName().startsWith(PATH[1])));
    }

    private static void assertAllCarry(String id, List<ExtLogRecord> lines) {
        assertFalse(lines.isEmpty(), "the call logged nothing");
        for (ExtLogRecord line : lines) {
            assertEquals(id, line.getMdc("request_id"), () -> "[" + line.getThreadName() + "] "
                    + line.getLoggerName() + ": " + line.getFormattedMessage());
        }
    }

    @Test
    void aRestCallLogsItsIdOnTheSettlingThreadAndTheJsonFormatPrintsIt() throws Exception {
        infer().then().statusCode(200); // warm: the first call of a run may be slow to settle
        List<ExtLogRecord> lines;
        String id;
        try (LogCapture logs = LogCapture.open(PATH)) {
            Response response = infer();
            response.then().statusCode(200);
            id = response.header("x-request-id");
            lines = ofThePath(logs);
        }
        assertAllCarry(id, lines);
        ExtLogRecord settled = lines.stream().filter(l -> l.getFormattedMessage().startsWith("settled INFER"))
                .findFirst().orElseThrow(() -> new AssertionError("no settle line in " + lines.size() + " lines"));
        assertTrue(settled.getThreadName().startsWith("aiaas-gateway-settle-"), settled.getThreadName());

        JsonNode json = new ObjectMapper().readTree(new JsonFormatter().format(settled));
        assertEquals(id, json.at("/mdc/request_id").asText(), json.toString());
        assertTrue(json.path("message").asText().startsWith("settled INFER"), json.toString());
    }

    @Test
    void aWorkerFailureIsLoggedWithTheIdOnTheEventLoop() {
        worker.answer(500, "{\"error\": \"internal error\"}");
        List<ExtLogRecord> lines;
        String id;
        try (LogCapture logs = LogCapture.open(PATH)) {
            Response response = infer();
            response.then().statusCode(502);
            id = response.header("x-request-id");
            lines = ofThePath(logs);
        }
        assertAllCarry(id, lines);
        assertTrue(lines.stream().anyMatch(l -> l.getFormattedMessage().contains("answered 500")
                && l.getThreadName().contains("eventloop")), "the dispatcher's line, from the event loop");
    }

    @Test
    void aGrpcCallLogsItsIdOnTheEventLoopAndTheSettlingThread() throws Exception {
        worker.answer(500, "{\"error\": \"internal error\"}");
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        List<ExtLogRecord> lines;
        try (LogCapture logs = LogCapture.open(PATH)) {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
            ByteBuffer x = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : new float[] {1, 2, 3, -1, 0.5f, 0.25f}) {
                x.putFloat(v);
            }
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth),
                            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
            var failed = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                    () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName(model.name())
                            .addInputs(InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2)
                                    .addShape(3))
                            .addRawInputContents(ByteString.copyFrom(x.array())).build()));
            assertEquals(io.grpc.Status.Code.INTERNAL, failed.getStatus().getCode(), failed.toString());
            lines = ofThePath(logs);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        Metadata answer = headers.get() != null ? headers.get() : trailers.get();
        String id = answer.get(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER));
        assertNotNull(id);
        assertAllCarry(id, lines);
        assertTrue(lines.stream().anyMatch(l -> l.getFormattedMessage().contains("answered 500")
                && l.getThreadName().contains("eventloop")), "the dispatcher's line, from the event loop");
        assertTrue(lines.stream().anyMatch(l -> l.getFormattedMessage().startsWith("settled INFER")));
    }
}
