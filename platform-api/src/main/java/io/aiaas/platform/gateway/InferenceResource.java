package io.aiaas.platform.gateway;

import io.aiaas.platform.common.net.ClientAddresses;
import io.aiaas.platform.common.web.RequestIds;
import io.aiaas.platform.idempotency.service.IdempotencyKeys;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The public Open Inference Protocol v2 model endpoints, authenticated by API key; all work is in {@link GatewayService}. */
@Path("/v2/models")
@Tag(name = "Inference (Open Inference Protocol v2)")
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
@APIResponse(responseCode = "403", description = "tenant_suspended, tenant_closed: the key's tenant may not call; key_disabled: a tenant admin disabled the key for now; model_not_allowed: the key may call only the models it was issued for",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
@APIResponse(responseCode = "404", description = "No such model or version visible to the key's tenant",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key of the tenant: Authorization: Bearer aiaas_...")
public class InferenceResource {

    /** The protocol's error body, documented for OpenAPI. */
    @Schema(name = "InferenceError")
    public record ErrorBody(String error, String code) {
    }

    private static final String IDEMPOTENCY = "Up to 255 printable ASCII characters, sent once; a retry with the same key"
            + " within 24 hours is never billed twice and gets the first answer replayed (x-aiaas-idempotent-replay: true)";

    private static final String INFERENCE_HEADER = "Inference-Header-Content-Length";
    private static final String BINARY = "Triton's binary tensor data extension: the length of the JSON part of the"
            + " body; the binary data of the inputs with parameters.binary_data_size follows it";

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private static final String BINARY_BODY = "Triton's binary tensor data extension: the JSON infer request, as long"
            + " as Inference-Header-Content-Length says, then the bytes of each input with parameters.binary_data_size";

    private final GatewayService gateway;
    private final ClientAddresses addresses;

    InferenceResource(GatewayService gateway, ClientAddresses addresses) {
        this.gateway = gateway;
        this.addresses = addresses;
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "modelMetadata", summary = "Model metadata: versions, platform, inputs and outputs")
    @APIResponse(responseCode = "200", description = "Metadata of the newest READY version", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceSchemas.ModelMetadata.class)))
    @APIResponse(responseCode = "400", description = "The version is not a positive integer", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "Usage could not be recorded, or keys cannot be checked; retry", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    public Response model(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("name") String name,
            @Context RoutingContext rc) {
        return gateway.metadata(authorization, RequestIds.current(rc), client(rc), name, null);
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Operation(operationId = "modelVersionMetadata", summary = "Metadata of one model version")
    @APIResponse(responseCode = "200", description = "Metadata of the version", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceSchemas.ModelMetadata.class)))
    @APIResponse(responseCode = "400", description = "The version is not a positive integer", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "Usage could not be recorded, or keys cannot be checked; retry", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    public Response modelVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("name") String name, @PathParam("version") String version, @Context RoutingContext rc) {
        return gateway.metadata(authorization, RequestIds.current(rc), client(rc), name, version);
    }

    @GET
    @Path("/{name}/ready")
    @Operation(operationId = "modelReady", summary = "Whether the newest version can serve calls now")
    @APIResponse(responseCode = "200", description = "Ready", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceSchemas.ModelReady.class)))
    @APIResponse(responseCode = "503", description = "No worker holds the version READY yet (Retry-After)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    public Response modelReady(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("name") String name, @Context RoutingContext rc) {
        return gateway.ready(authorization, RequestIds.current(rc), client(rc), name, null);
    }

    @GET
    @Path("/{name}/versions/{version}/ready")
    @Operation(operationId = "modelVersionReady", summary = "Whether a version can serve calls now")
    @APIResponse(responseCode = "200", description = "Ready", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceSchemas.ModelReady.class)))
    @APIResponse(responseCode = "503", description = "No worker holds the version READY yet (Retry-After)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    public Response modelVersionReady(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("name") String name, @PathParam("version") String version, @Context RoutingContext rc) {
        return gateway.ready(authorization, RequestIds.current(rc), client(rc), name, version);
    }

    @POST
    @Path("/{name}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(operationId = "modelInfer", summary = "Run the newest READY version on JSON or binary tensors")
    @APIResponse(responseCode = "200", description = "The outputs, with x-aiaas-device and x-aiaas-model-version headers (and x-aiaas-cold-start: true, x-aiaas-load-ms when the worker loaded the version for this call); with binary outputs"
            + " the body is application/octet-stream, its JSON part as long as Inference-Header-Content-Length says",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InferenceSchemas.InferResponse.class)),
                @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "400", description = "Bad request body: malformed JSON, unknown datatype, data not "
            + "matching the shape, unknown or missing input (the message names the tensor), or values the model rejects "
            + "(an index out of range, sizes that do not fit; the message is ONNX Runtime's, naming the model)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "idempotency_in_progress (the first call with this Idempotency-Key is still running; Retry-After), idempotency_response_too_large, idempotency_response_lost", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "422", description = "idempotency_key_reused: the key was used for another request", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "429", description = "rate_limited, concurrency_limited, quota_exceeded, budget_exceeded, tenant_budget_exceeded or key_budget_exceeded (Retry-After); recorded, never billed", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "413", description = "Request body over the limit", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "415", description = "The body is neither application/json nor application/octet-stream", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "502", description = "The worker failed on its side (not the request's fault); quote the request id", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "No READY worker for the version (Retry-After), "
            + "pinned_version_unavailable (the tenant's pinned version is not ready or retired), or usage could "
            + "not be recorded", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "504", description = "The worker did not answer in time", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @Blocking // the key, plan and limits may need the database; the worker's answer is awaited on no thread
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, description = IDEMPOTENCY,
            schema = @Schema(type = SchemaType.STRING, maxLength = 255))
    public CompletionStage<Response> infer(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = BINARY) @HeaderParam(INFERENCE_HEADER) String inferenceHeaderLength,
            @PathParam("name") String name, @Context RoutingContext rc,
            @RequestBody(required = true, content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InferenceSchemas.InferRequest.class)),
                @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary", description = BINARY_BODY))}) byte[] body) {
        return gateway.inferAsync(authorization, RequestIds.current(rc), client(rc), name, null, idempotencyKeys(rc),
                rc.normalizedPath(),
                rc.request().getHeader(HttpHeaders.CONTENT_TYPE), inferenceHeaderLength, body, gaveUp(rc));
    }

    @POST
    @Path("/{name}/versions/{version}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(operationId = "modelVersionInfer", summary = "Run one version on JSON or binary tensors")
    @APIResponse(responseCode = "200", description = "The outputs, with x-aiaas-device and x-aiaas-model-version headers (and x-aiaas-cold-start: true, x-aiaas-load-ms when the worker loaded the version for this call); with binary outputs"
            + " the body is application/octet-stream, its JSON part as long as Inference-Header-Content-Length says",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InferenceSchemas.InferResponse.class)),
                @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "400", description = "Bad request body: malformed JSON, unknown datatype, data not "
            + "matching the shape, unknown or missing input (the message names the tensor), or values the model rejects "
            + "(an index out of range, sizes that do not fit; the message is ONNX Runtime's, naming the model)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "idempotency_in_progress (the first call with this Idempotency-Key is still running; Retry-After), idempotency_response_too_large, idempotency_response_lost", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "422", description = "idempotency_key_reused: the key was used for another request", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "429", description = "rate_limited, concurrency_limited, quota_exceeded, budget_exceeded, tenant_budget_exceeded or key_budget_exceeded (Retry-After); recorded, never billed", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "413", description = "Request body over the limit", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "415", description = "The body is neither application/json nor application/octet-stream", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "502", description = "The worker failed on its side (not the request's fault); quote the request id", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "No READY worker for the version (Retry-After), or usage could "
            + "not be recorded", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @APIResponse(responseCode = "504", description = "The worker did not answer in time", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    @Blocking
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, description = IDEMPOTENCY,
            schema = @Schema(type = SchemaType.STRING, maxLength = 255))
    public CompletionStage<Response> inferVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = BINARY) @HeaderParam(INFERENCE_HEADER) String inferenceHeaderLength,
            @PathParam("name") String name, @PathParam("version") String version, @Context RoutingContext rc,
            @RequestBody(required = true, content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InferenceSchemas.InferRequest.class)),
                @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary", description = BINARY_BODY))}) byte[] body) {
        return gateway.inferAsync(authorization, RequestIds.current(rc), client(rc), name, version, idempotencyKeys(rc),
                rc.normalizedPath(), rc.request().getHeader(HttpHeaders.CONTENT_TYPE), inferenceHeaderLength, body,
                gaveUp(rc));
    }

    /**
     * The caller's address: the connection's, or what the trusted proxies say ({@link ClientAddresses}). The
     * connection's own address, not the request's: with {@code quarkus.http.proxy.*} set the request's would be the
     * left-most X-Forwarded-For entry, which a client writes itself.
     */
    private String client(RoutingContext rc) {
        io.vertx.core.net.SocketAddress address = rc.request().connection().remoteAddress();
        return addresses.callerOf(address == null ? null : address.hostAddress(),
                () -> rc.request().headers().getAll(X_FORWARDED_FOR));
    }

    /** Every Idempotency-Key header as sent (a JAX-RS String parameter would silently keep only the first). */
    private static List<String> idempotencyKeys(RoutingContext rc) {
        return rc.request().headers().getAll(IdempotencyKeys.HEADER);
    }

    /** Completes when the client's connection closes before its answer was sent: the client gave up. */
    private static CompletableFuture<Void> gaveUp(RoutingContext rc) {
        CompletableFuture<Void> gaveUp = new CompletableFuture<>();
        // the connection's handler, not the response's: the response's close handler does not fire while the
        // request's reading is paused, which it is once the body was read
        rc.request().connection().closeHandler(closed -> gaveUp.complete(null));
        return gaveUp;
    }
}
