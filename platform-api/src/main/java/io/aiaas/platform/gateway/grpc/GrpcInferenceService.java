package io.aiaas.platform.gateway.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.dispatch.RoutingTable;
import io.aiaas.platform.gateway.GatewayService;
import io.aiaas.platform.gateway.ServerMetadataResource;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc;
import io.aiaas.protocol.grpc.ModelInferRequest;
import io.aiaas.protocol.grpc.ModelInferResponse;
import io.aiaas.protocol.grpc.ModelMetadataRequest;
import io.aiaas.protocol.grpc.ModelMetadataResponse;
import io.aiaas.protocol.grpc.ModelMetadataResponse.TensorMetadata;
import io.aiaas.protocol.grpc.ModelReadyRequest;
import io.aiaas.protocol.grpc.ModelReadyResponse;
import io.aiaas.protocol.grpc.ServerLiveRequest;
import io.aiaas.protocol.grpc.ServerLiveResponse;
import io.aiaas.protocol.grpc.ServerMetadataRequest;
import io.aiaas.protocol.grpc.ServerMetadataResponse;
import io.aiaas.protocol.grpc.ServerReadyRequest;
import io.aiaas.protocol.grpc.ServerReadyResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.core.Response;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Open Inference Protocol's gRPC service ({@code inference.GRPCInferenceService}) on the gateway: a translator
 * in front of {@link GatewayService}, so a gRPC call is authenticated, limited, metered and routed exactly like the
 * same call over HTTP. Handlers run on worker threads: the gateway blocks on PostgreSQL and on the worker.
 */
@GrpcService
@RegisterInterceptor(GrpcCallInterceptor.class)
public class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private static final Logger LOG = Logger.getLogger(GrpcInferenceService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayService gateway;
    private final RoutingTable routes;
    private final String version;

    GrpcInferenceService(GatewayService gateway, RoutingTable routes,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.gateway = gateway;
        this.routes = routes;
        this.version = version;
    }

    /** Like {@code GET /v2/health/live}: needs no key. */
    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
        answer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
        answer.onCompleted();
    }

    /** Like {@code GET /v2/health/ready}: ready while this replica's routing table is current; needs no key. */
    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> answer) {
        answer.onNext(ServerReadyResponse.newBuilder().setReady(routes.isFresh()).build());
        answer.onCompleted();
    }

    /** Like {@code GET /v2}; needs no key. */
    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> answer) {
        answer.onNext(ServerMetadataResponse.newBuilder().setName(ServerMetadataResource.NAME).setVersion(version)
                .addAllExtensions(ServerMetadataResource.EXTENSIONS).build());
        answer.onCompleted();
    }

    /**
     * Ready when a worker holds the version READY. A model that exists but is not ready yet answers
     * {@code ready: false} (the HTTP gateway's 503 {@code no_worker}); every other refusal is the call's status.
     */
    @Override
    @Blocking
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
        GrpcCall call = GrpcCall.current();
        Response response = gateway.ready(call.authorization(), call.requestId(), call.client(), request.getName(),
                blankToNull(request.getVersion()));
        if (response.getStatus() == 200 || "no_worker".equals(errorCode(response))) {
            GrpcAnswers.copyHeaders(response, call);
            answer.onNext(ModelReadyResponse.newBuilder().setReady(response.getStatus() == 200).build());
            answer.onCompleted();
            return;
        }
        answer.onError(GrpcAnswers.failure(response, call));
    }

    @Override
    @Blocking
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
        GrpcCall call = GrpcCall.current();
        Response response = gateway.metadata(call.authorization(), call.requestId(), call.client(), request.getName(),
                blankToNull(request.getVersion()));
        if (response.getStatus() != 200) {
            answer.onError(GrpcAnswers.failure(response, call));
            return;
        }
        GrpcAnswers.copyHeaders(response, call);
        JsonNode body = json(response);
        ModelMetadataResponse.Builder metadata = ModelMetadataResponse.newBuilder()
                .setName(body.path("name").asText())
                .setPlatform(body.path("platform").asText());
        body.path("versions").forEach(v -> metadata.addVersions(v.asText()));
        body.path("inputs").forEach(t -> metadata.addInputs(tensor(t)));
        body.path("outputs").forEach(t -> metadata.addOutputs(tensor(t)));
        answer.onNext(metadata.build());
        answer.onCompleted();
    }

    /**
     * Builds the binary tensor body a Triton HTTP client would send and hands it to the gateway; a request that
     * cannot be such a body is INVALID_ARGUMENT before the key is even looked at (like a malformed HTTP request,
     * it reaches no worker and leaves no usage row).
     */
    @Override
    @Blocking
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
        GrpcCall call = GrpcCall.current();
        InferBodies.Body body;
        try {
            body = InferBodies.toBody(request);
        } catch (InferBodies.MalformedRequest e) {
            call.send(GrpcAnswers.ERROR_CODE, "invalid_input");
            answer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        String name = request.getModelName();
        String version = blankToNull(request.getModelVersion());
        // A call the client cancels (or whose deadline passes) is abandoned like an HTTP call whose client left.
        CompletableFuture<Void> gaveUp = new CompletableFuture<>();
        if (answer instanceof ServerCallStreamObserver<ModelInferResponse> observer) {
            observer.setOnCancelHandler(() -> gaveUp.complete(null));
        }
        // The steps before the worker run here; the answer is sent from whichever thread completes the call, so no
        // thread waits while the worker computes.
        gateway.inferAsync(call.authorization(), call.requestId(), call.client(), name, version, call.idempotencyKeys(),
                inferPath(name, version), "application/octet-stream", Integer.toString(body.headerLength()),
                body.bytes(), gaveUp).whenComplete((response, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "gRPC call of request %s failed", call.requestId());
                        answer.onError(Status.INTERNAL.withDescription("internal error; quote request id "
                                + call.requestId() + " when reporting it").asRuntimeException());
                    } else {
                        // the worker's answer arrives as a buffer; everything below reads bytes
                        answer(call, response.getEntity() instanceof Buffer buffer
                                ? Response.fromResponse(response).entity(buffer.getBytes()).build() : response, answer);
                    }
                });
    }

    private static void answer(GrpcCall call, Response response, StreamObserver<ModelInferResponse> answer) {
        if (response.getStatus() != 200) {
            answer.onError(GrpcAnswers.failure(response, call));
            return;
        }
        GrpcAnswers.copyHeaders(response, call);
        ModelInferResponse result;
        try {
            result = InferBodies.toResponse((byte[]) response.getEntity(),
                    response.getHeaderString(InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH));
        } catch (RuntimeException e) {
            // the call ran and was metered; only its translation failed: the platform's fault, never the client's
            LOG.errorf(e, "gRPC answer of request %s could not be translated", call.requestId());
            answer.onError(Status.INTERNAL.withDescription("internal error; quote request id " + call.requestId()
                    + " when reporting it").asRuntimeException());
            return;
        }
        answer.onNext(result);
        answer.onCompleted();
    }


    /**
     * The HTTP path of the same call: an Idempotency-Key stands for the path and the body, so a retry of the same
     * binary body over HTTP or gRPC is the same request.
     */
    private static String inferPath(String name, String version) {
        String model = "/v2/models/" + name;
        return (version == null ? model : model + "/versions/" + version) + "/infer";
    }

    private static TensorMetadata tensor(JsonNode node) {
        TensorMetadata.Builder tensor = TensorMetadata.newBuilder()
                .setName(node.path("name").asText())
                .setDatatype(node.path("datatype").asText());
        node.path("shape").forEach(dim -> tensor.addShape(dim.asLong()));
        return tensor.build();
    }

    private static String errorCode(Response response) {
        if (!(response.getEntity() instanceof byte[] body)) {
            return null;
        }
        try {
            JsonNode code = JSON.readTree(body).path("code");
            return code.isTextual() ? code.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode json(Response response) {
        try {
            return JSON.readTree((byte[]) response.getEntity());
        } catch (IOException e) {
            throw new IllegalStateException("the gateway's metadata is not JSON", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
