package io.aiaas.worker.rest;

import io.aiaas.engine.ModelSignature;
import io.aiaas.worker.inference.InferenceOutcome;
import io.aiaas.worker.inference.InferenceService;
import io.aiaas.worker.lifecycle.WorkerLifecycle;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelState;
import io.aiaas.worker.model.ModelVersion;
import io.aiaas.protocol.EncodedResponse;
import io.aiaas.protocol.InferenceCodec;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import java.io.InputStream;
import java.util.List;

/** Open Inference Protocol v2 REST: health, server and model metadata, readiness, infer. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceResource {

    static final String PLATFORM = "onnxruntime_onnx";

    private final InferenceService inference;
    private final ModelRegistry registry;
    private final InferenceCodec codec;
    private final BodyLimit bodyLimit;
    private final WorkerLifecycle lifecycle;

    public InferenceResource(InferenceService inference, ModelRegistry registry, InferenceCodec codec,
                             BodyLimit bodyLimit, WorkerLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.bodyLimit = bodyLimit;
        this.inference = inference;
        this.registry = registry;
        this.codec = codec;
    }

    @GET
    public Metadata.Server server() {
        return new Metadata.Server("aiaas-inference-worker", "0.1.0", List.of());
    }

    @GET
    @Path("/health/live")
    public Metadata.Live live() {
        return new Metadata.Live(true);
    }

    /** 200 {@code {"ready": true}}, or 503 {@code {"ready": false}} (see {@link WorkerLifecycle}). */
    @GET
    @Path("/health/ready")
    public Response ready() {
        boolean ready = lifecycle.ready();
        return Response.status(ready ? 200 : 503).entity(new Metadata.Ready(ready)).build();
    }

    @GET
    @Path("/models/{name}")
    public Metadata.Model model(@PathParam("name") String name) {
        return metadata(registry.resolve(name, null));
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public Metadata.Model modelVersion(@PathParam("name") String name, @PathParam("version") String version) {
        return metadata(registry.resolve(name, PathParams.version(version)));
    }

    @GET
    @Path("/models/{name}/ready")
    public Metadata.ModelReady modelReady(@PathParam("name") String name) {
        registry.resolve(name, null);
        return new Metadata.ModelReady(name, null, true);
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    public Metadata.ModelReady modelVersionReady(@PathParam("name") String name, @PathParam("version") String version) {
        int v = PathParams.version(version);
        registry.resolve(name, v);
        return new Metadata.ModelReady(name, Integer.toString(v), true);
    }

    /**
     * JSON, or Triton's binary tensor data extension: with {@value InferenceCodec#INFERENCE_HEADER_CONTENT_LENGTH} the
     * body is the JSON header followed by the binary inputs (any content type a Triton client sends).
     */
    @POST
    @Path("/models/{name}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public Response infer(@PathParam("name") String name,
                          @HeaderParam(InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH) String headerLength,
                          InputStream body) {
        return respond(inference.infer(name, null, bodyLimit.limit(body), headerLength, InferenceResource::onClose));
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public Response inferVersion(@PathParam("name") String name, @PathParam("version") String version,
                                 @HeaderParam(InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH) String headerLength,
                                 InputStream body) {
        return respond(inference.infer(name, PathParams.version(version), bodyLimit.limit(body), headerLength,
                InferenceResource::onClose));
    }

    /** A caller whose connection closes gives up: its request, if still queued, never runs. */
    private static void onClose(Runnable giveUp) {
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        if (context != null) {
            context.serverResponse().addCloseHandler(giveUp);
        }
    }

    private Response respond(InferenceOutcome outcome) {
        EncodedResponse encoded = codec.prepare(outcome.response());
        StreamingOutput entity = encoded::writeTo;
        Response.ResponseBuilder builder = Response.ok(entity, encoded.contentType())
                .header("x-aiaas-device", outcome.device())
                .header("x-aiaas-compute-us", outcome.computeMicros())
                .header("x-aiaas-items", outcome.items());
        if (encoded.binary()) {
            builder.header(InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH, encoded.headerLength());
        }
        if (outcome.coldStart()) {
            builder.header("x-aiaas-cold-start", "true").header("x-aiaas-load-ms", outcome.loadMillis());
        }
        return builder.build();
    }

    private Metadata.Model metadata(ModelVersion version) {
        ModelSignature signature = version.model().signature();
        List<String> versions = registry.versionsOf(version.key().name()).stream()
                .filter(v -> v.state() == ModelState.READY || v.state() == ModelState.EVICTED)
                .map(v -> Integer.toString(v.key().version())).toList();
        return new Metadata.Model(version.key().name(), versions, PLATFORM,
                signature.inputs().stream().map(Metadata.Tensor::of).toList(),
                signature.outputs().stream().map(Metadata.Tensor::of).toList());
    }
}
