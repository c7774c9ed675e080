package io.aiaas.platform.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.access.ApiKeyAuthenticator;
import io.aiaas.platform.access.ApiKeyAuthenticator.KeyPrincipal;
import io.aiaas.platform.access.ApiKeyAuthenticator.KeyRejectedException;
import io.aiaas.platform.dispatch.DispatchException;
import io.aiaas.platform.dispatch.Dispatcher;
import io.aiaas.platform.dispatch.RoutingTable;
import io.aiaas.platform.dispatch.WorkerReply;
import io.aiaas.platform.gateway.VisibleModels.VisibleModel;
import io.aiaas.platform.gateway.VisibleModels.VisibleVersion;
import io.aiaas.platform.metering.UsageNotRecordedException;
import io.aiaas.platform.metering.UsageRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The hot path of {@code /v2/models/**}: authenticate the key, resolve the model for its tenant, forward to a worker,
 * and write the usage row before the answer leaves. Every answer, good or bad, is built here as bytes, so the
 * usage row can count them.
 */
@ApplicationScoped
public class GatewayService {

    private static final Logger LOG = Logger.getLogger(GatewayService.class);
    static final String DEVICE_HEADER = "x-aiaas-device";
    static final String VERSION_HEADER = "x-aiaas-model-version";

    private final ApiKeyAuthenticator authenticator;
    private final VisibleModels catalog;
    private final Dispatcher dispatcher;
    private final RoutingTable routes;
    private final UsageRecorder usage;
    private final ObjectMapper json;
    private final long maxRequestBytes;

    GatewayService(ApiKeyAuthenticator authenticator, VisibleModels catalog, Dispatcher dispatcher,
            RoutingTable routes, UsageRecorder usage, ObjectMapper json, GatewayConfig config) {
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.routes = routes;
        this.usage = usage;
        this.json = json;
        this.maxRequestBytes = config.maxRequestBytes().asLongValue();
    }

    /** {@code GET /v2/models/{name}[/versions/{v}]}: metadata from the signature stored at upload. */
    public Response metadata(String authorization, String requestId, String name, String version) {
        return metered(authorization, requestId, MeteredCall.Endpoint.METADATA, call -> {
            VisibleModel model = resolve(call, name, version);
            VisibleVersion chosen = model.version(call.modelVersion).orElseThrow();
            ObjectNode body = json.createObjectNode();
            body.put("name", model.name());
            ArrayNode versions = body.putArray("versions");
            model.versions().stream().map(v -> Integer.toString(v.version())).sorted().forEach(versions::add);
            body.put("platform", "onnxruntime_onnx");
            body.set("inputs", arrayOrEmpty(chosen.signature(), "inputs"));
            body.set("outputs", arrayOrEmpty(chosen.signature(), "outputs"));
            return Response.ok(bytes(body)).type("application/json");
        });
    }

    /** {@code GET /v2/models/{name}[/versions/{v}]/ready}: 200 when an UP worker holds the version READY. */
    public Response ready(String authorization, String requestId, String name, String version) {
        return metered(authorization, requestId, MeteredCall.Endpoint.READY, call -> {
            VisibleModel model = resolve(call, name, version);
            if (routes.readyWorkers(call.modelVersionId).isEmpty()) {
                throw new GatewayException(503, "no_worker", "model " + model.name() + " version "
                        + call.modelVersion + " is not ready on any worker; retry shortly");
            }
            ObjectNode body = json.createObjectNode();
            body.put("name", model.name());
            body.put("version", Integer.toString(call.modelVersion));
            body.put("ready", true);
            return Response.ok(bytes(body)).type("application/json")
                    .header(VERSION_HEADER, call.modelVersion);
        });
    }

    /** {@code POST /v2/models/{name}[/versions/{v}]/infer}: the body goes to a worker unchanged. */
    public Response infer(String authorization, String requestId, String name, String version, String contentLength,
            InputStream body) {
        return metered(authorization, requestId, MeteredCall.Endpoint.INFER, call -> {
            byte[] payload = readBounded(body, contentLength, call);
            VisibleModel model = resolve(call, name, version);
            WorkerReply reply;
            try {
                reply = dispatcher.forward(call.modelVersionId, model.name(), call.modelVersion, payload,
                        call.requestId.toString());
            } catch (DispatchException e) {
                if (e.worker() != null) {
                    call.workerId = e.worker().id();
                    call.device = e.worker().device();
                }
                throw new GatewayException(e.failure().status(), e.failure().code(), e.getMessage());
            }
            call.workerId = reply.worker().id();
            call.device = reply.device();
            call.items = reply.items();
            call.computeUs = reply.computeUs();
            if (reply.status() >= 300) {
                call.errorCode = "worker_" + reply.status();
            }
            return Response.status(reply.status()).entity(reply.body()).type(reply.contentType())
                    .header(DEVICE_HEADER, reply.device())
                    .header(VERSION_HEADER, call.modelVersion);
        });
    }

    /**
     * Authenticates, runs {@code work}, records the usage row and only then lets the answer go. A call rejected at
     * authentication has no valid key and therefore no row.
     */
    private Response metered(String authorization, String requestId, MeteredCall.Endpoint endpoint,
            Function<MeteredCall, Response.ResponseBuilder> work) {
        Instant started = Instant.now();
        UUID id = requestIdOf(requestId);
        KeyPrincipal caller;
        try {
            caller = authenticator.authenticate(authorization);
        } catch (KeyRejectedException e) {
            Response.ResponseBuilder rejected = error(e.status(), e.getMessage());
            return (e.status() == 401 ? rejected.header("WWW-Authenticate", "Bearer") : rejected).build();
        } catch (RuntimeException e) {
            LOG.errorf(e, "API key check failed (request id %s)", id);
            return error(503, "API keys cannot be checked right now; retry shortly").header("Retry-After", "1")
                    .build();
        }
        MeteredCall call = new MeteredCall(id, endpoint, caller, started);
        Response response;
        try {
            response = work.apply(call).build();
        } catch (GatewayException e) {
            call.errorCode = e.code();
            Response.ResponseBuilder failed = error(e.status(), e.getMessage());
            if (e.status() == 503) {
                failed.header("Retry-After", "1");
            }
            response = failed.build();
        } catch (RuntimeException e) {
            LOG.errorf(e, "gateway call failed (request id %s)", id);
            call.errorCode = "internal_error";
            response = error(500, "internal error; quote request id " + id + " when reporting it").build();
        }
        long bytesOut = response.getEntity() instanceof byte[] b ? b.length : 0;
        try {
            usage.record(call.toRecord(response.getStatus(), bytesOut, Instant.now()));
        } catch (UsageNotRecordedException e) {
            LOG.errorf("usage of request %s could not be recorded: %s", id, e.getMessage());
            return error(503, "usage could not be recorded").header("Retry-After", "1").build();
        }
        return response;
    }

    private VisibleModel resolve(MeteredCall call, String name, String version) {
        Integer requested = parseVersion(version);
        call.modelName = name;
        call.modelVersion = requested;
        // Another tenant's private model looks exactly like a missing one: 404, never 403.
        VisibleModel model = catalog.find(call.caller.tenantId(), name)
                .orElseThrow(() -> new GatewayException(404, "model_not_found", "model " + name + " not found"));
        call.modelId = model.id();
        call.modelName = model.name();
        VisibleVersion chosen = model.version(requested).orElseThrow(() -> new GatewayException(404,
                "version_not_found", "model " + name + " has no ready version " + requested));
        call.modelVersionId = chosen.id();
        call.modelVersion = chosen.version();
        return model;
    }

    private static Integer parseVersion(String version) {
        if (version == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(version);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new GatewayException(400, "invalid_version", "version must be a positive integer, got '" + version + "'");
    }

    private byte[] readBounded(InputStream body, String contentLength, MeteredCall call) {
        String tooLarge = "request body exceeds the limit of " + maxRequestBytes + " bytes";
        if (contentLength != null) {
            try {
                long declared = Long.parseLong(contentLength.trim());
                if (declared > maxRequestBytes) {
                    call.bytesIn = declared;
                    throw new GatewayException(413, "payload_too_large", tooLarge);
                }
            } catch (NumberFormatException e) {
                // the stream is counted below anyway
            }
        }
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] payload = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
            call.bytesIn = payload.length;
            if (payload.length > maxRequestBytes) {
                throw new GatewayException(413, "payload_too_large", tooLarge);
            }
            return payload;
        } catch (IOException e) {
            throw new GatewayException(400, "body_unreadable", "the request body could not be read completely");
        }
    }

    private static UUID requestIdOf(String requestId) {
        if (requestId != null) {
            try {
                return UUID.fromString(requestId);
            } catch (IllegalArgumentException e) {
                // the filter only stores UUIDs; fall through to a fresh one
            }
        }
        return UUID.randomUUID();
    }

    private static JsonNode arrayOrEmpty(JsonNode signature, String field) {
        JsonNode node = signature.get(field);
        return node != null && node.isArray() ? node : JsonNodeFactory.instance.arrayNode();
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    private Response.ResponseBuilder error(int status, String message) {
        return Response.status(status).type("application/json").entity(bytes(Map.of("error", message)));
    }
}
