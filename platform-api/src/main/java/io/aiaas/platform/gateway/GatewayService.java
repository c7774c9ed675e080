package io.aiaas.platform.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.apikey.service.ApiKeyAuthenticator;
import io.aiaas.platform.apikey.service.ApiKeyAuthenticator.KeyPrincipal;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.billing.pricing.Pricing.Cost;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.ErrorBodies;
import io.aiaas.platform.common.web.RequestIds;
import io.aiaas.platform.metrics.TenantMetrics;
import io.aiaas.platform.dispatch.Dispatcher;
import io.aiaas.platform.dispatch.ForwardedBody;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.platform.dispatch.RoutingTable;
import io.aiaas.platform.idempotency.service.BeginResult;
import io.aiaas.platform.idempotency.service.IdempotencyKeys;
import io.aiaas.platform.limits.service.Admission;
import io.aiaas.platform.limits.service.Admission.Consumption;
import io.aiaas.platform.limits.service.Limits;
import io.aiaas.platform.model.service.CanaryWatch;
import io.aiaas.platform.model.service.VisibleModels.VisibleModel;
import io.aiaas.platform.model.service.VisibleModels.VisibleVersion;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.plan.service.TenantPlans;
import io.aiaas.platform.usage.service.UsageRecord;
import io.aiaas.platform.usage.service.UsageRecorder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The hot path of {@code /v2/models/**}: authenticate the key, resolve the model for its tenant, forward to a worker,
 * and commit the usage row before the answer leaves. Every answer, good or bad, is built here as bytes, so the
 * usage row counts exactly what leaves.
 */
@ApplicationScoped
public class GatewayService {

    private static final Logger LOG = Logger.getLogger(GatewayService.class);
    /** Any path under /v2: error bodies here are the protocol's {@code {"error"}}. */
    private static final String PATH = "/v2/models";
    static final String DEVICE_HEADER = "x-aiaas-device";
    static final String VERSION_HEADER = "x-aiaas-model-version";
    /** The worker had to load the version for this call first, and how long that took. */
    static final String COLD_START_HEADER = "x-aiaas-cold-start";
    static final String LOAD_MS_HEADER = "x-aiaas-load-ms";
    /** Triton's binary tensor data extension: the length of the JSON part of a body with binary data after it. */
    static final String INFERENCE_HEADER = InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH;
    static final String COST_HEADER = "x-aiaas-cost";
    static final String CURRENCY_HEADER = "x-aiaas-currency";

    private final ApiKeyAuthenticator authenticator;
    private final CallModels models;
    private final Dispatcher dispatcher;
    private final RoutingTable routes;
    private final UsageRecorder usage;
    private final TenantPlans plans;
    private final Limits limits;
    private final IdempotencyKeys idempotency;
    private final ObjectMapper json;
    private final TenantMetrics tenantMetrics;
    private final CanaryWatch canaries;
    private final ShadowCalls shadows;
    private final long maxRequestBytes;
    /** Threads that finish calls once their usage rows are committed (short tasks: no thread waits for a commit). */
    private final ExecutorService settling = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "aiaas-gateway-settle-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    GatewayService(ApiKeyAuthenticator authenticator, CallModels models, Dispatcher dispatcher,
            RoutingTable routes, UsageRecorder usage, TenantPlans plans, Limits limits, IdempotencyKeys idempotency,
            ObjectMapper json, GatewayConfig config, TenantMetrics tenantMetrics, CanaryWatch canaries,
            ShadowCalls shadows) {
        this.tenantMetrics = tenantMetrics;
        this.canaries = canaries;
        this.shadows = shadows;
        this.idempotency = idempotency;
        this.authenticator = authenticator;
        this.plans = plans;
        this.limits = limits;
        this.models = models;
        this.dispatcher = dispatcher;
        this.routes = routes;
        this.usage = usage;
        this.json = json;
        this.maxRequestBytes = config.maxRequestBytes().asLongValue();
    }

    void stop(@Observes ShutdownEvent event) {
        settling.shutdown();
    }

    /** {@code GET /v2/models/{name}[/versions/{v}]}: metadata from the signature stored at upload. */
    public Response metadata(String authorization, String requestId, String client, String name,
            String version) {
        return now(metered(authorization, requestId, client, MeteredCall.Endpoint.METADATA, call -> {
            VisibleModel model = models.resolve(call, name, version);
            VisibleVersion chosen = model.version(call.modelVersion).orElseThrow();
            ObjectNode body = json.createObjectNode();
            body.put("name", model.name());
            ArrayNode versions = body.putArray("versions");
            model.versions().stream().mapToInt(VisibleVersion::version).sorted()
                    .forEach(v -> versions.add(Integer.toString(v)));
            body.put("platform", "onnxruntime_onnx");
            body.set("inputs", arrayOrEmpty(chosen.signature(), "inputs"));
            body.set("outputs", arrayOrEmpty(chosen.signature(), "outputs"));
            body.set("warmup", json.valueToTree(chosen.warmup()));
            return done(versioned(Response.ok(bytes(body)).type("application/json"), call, model.name()));
        }));
    }

    /** {@code GET /v2/models/{name}[/versions/{v}]/ready}: 200 when an UP worker holds the version READY. */
    public Response ready(String authorization, String requestId, String client, String name, String version) {
        return now(metered(authorization, requestId, client, MeteredCall.Endpoint.READY, call -> {
            VisibleModel model = models.resolve(call, name, version);
            if (routes.readyWorkers(call.modelVersionId).isEmpty()) {
                throw ApiException.unavailable("no_worker", "model " + model.name() + " version "
                        + call.modelVersion + " is not ready on any worker; retry shortly");
            }
            ObjectNode body = json.createObjectNode();
            body.put("name", model.name());
            body.put("version", Integer.toString(call.modelVersion));
            body.put("ready", true);
            return done(versioned(Response.ok(bytes(body)).type("application/json"), call, model.name()));
        }));
    }

    /**
     * {@code POST /v2/models/{name}[/versions/{v}]/infer}: the body goes to a worker unchanged and the worker's
     * answer comes back unchanged when it is a success or the client's mistake. {@code inferenceHeaderLength} (the
     * {@code Inference-Header-Content-Length} header of Triton's binary tensor data extension) and
     * {@code contentType} go to the worker as they are; the body is never read here beyond checking that header.
     * The steps before the worker (key, plan, limits) run on the calling thread; while the worker computes no thread
     * waits, nor while the usage row commits. The answer's entity is the worker's own buffer.
     *
     * @param client the caller's address as the connection gives it (or a trusted proxy's X-Forwarded-For, when the
     *     HTTP layer is configured to trust one), checked against the key's networks; null when unknown
     * @param idempotencyKeys the values of every Idempotency-Key header the call carried (empty for none; more than
     *     one is a 400)
     * @param gaveUp completes when the client goes away: the worker's connection is then reset (a worker drops the
     *     call if it is still queued), no other worker is tried, and the call is recorded as 499, never billed
     */
    public CompletionStage<Response> inferAsync(String authorization, String requestId, String client,
            String name, String version, List<String> idempotencyKeys, String path, String contentType,
            String inferenceHeaderLength, byte[] body, CompletionStage<Void> gaveUp) {
        return metered(authorization, requestId, client, MeteredCall.Endpoint.INFER, call -> {
            String idempotencyKey = IdempotencyKeys.single(idempotencyKeys);
            byte[] payload = body == null ? new byte[0] : body;
            call.bytesIn = payload.length;
            if (payload.length > maxRequestBytes) {
                throw ApiException.tooLarge("request body exceeds the limit of " + maxRequestBytes + " bytes");
            }
            ForwardedBody forwarded = ForwardedBody.fromClient(payload, contentType, inferenceHeaderLength);
            if (idempotencyKey != null) {
                call.askedFor(name, null);
                // the same bytes split elsewhere are another request: the header is part of what the key stands for
                String identity = forwarded.inferenceHeaderLength() == null ? path
                        : path + "?" + INFERENCE_HEADER + "=" + forwarded.inferenceHeaderLength();
                BeginResult begun = idempotency.begin(call.caller.tenantId(), idempotencyKey,
                        IdempotencyKeys.requestHash("POST", identity, payload), limits.holder(), call.requestId);
                if (begun instanceof BeginResult.Replay replay) {
                    call.replay = true;
                    Response.ResponseBuilder replayed = Response.status(replay.status()).entity(replay.body())
                            .type(replay.contentType());
                    replay.headersToSend().forEach(replayed::header);
                    return done(replayed);
                }
                call.idempotencyKey = idempotencyKey;
            }
            VisibleModel model = models.resolve(call, name, version);
            call.admission = limits.admit(call.caller.tenantId(), call.caller.keyId(), call.caller.budgetMicros(),
                    call.caller.requestsPerMinute(), call.caller.tenantBudgetMicros(), call.plan, model.name(),
                    call.startedAt, call.period);
            return dispatcher.forward(call.modelVersionId, model.name(), call.modelVersion, forwarded,
                    call.requestId.toString(), gaveUp, worker -> {
                        call.workerId = worker.id();
                        call.device = worker.device();
                    }).thenApply(reply -> {
                        call.device = reply.device();
                        call.items = reply.items();
                        call.computeUs = reply.computeUs();
                        if (reply.status() >= 300) {
                            call.errorCode = "worker_" + reply.status();
                        } else if (model.shadow() != null && version == null) {
                            shadows.mirror(model, forwarded, reply, call.modelVersion);
                        }
                        Response.ResponseBuilder answer = versioned(Response.status(reply.status())
                                .entity(reply.body()).type(reply.contentType())
                                .header(DEVICE_HEADER, reply.device()), call, model.name());
                        if (reply.coldStart()) {
                            answer.header(COLD_START_HEADER, "true");
                            if (reply.loadMs() != null) {
                                answer.header(LOAD_MS_HEADER, reply.loadMs());
                            }
                        }
                        if (reply.inferenceHeaderLength() != null && reply.status() < 300) {
                            answer.header(INFERENCE_HEADER, reply.inferenceHeaderLength());
                        }
                        return answer;
                    });
        });
    }

    /**
     * Authenticates, runs {@code work}, commits the usage row (priced by the writer) and only then lets the answer go,
     * with the call's cost and rate-limit headers. A call without a valid key has no tenant and therefore no row;
     * every other call has exactly one, refusals included. The row is queued on the thread that completes
     * {@code work}'s stage; the usage writer commits it, and a settling thread finishes the call.
     */
    private CompletionStage<Response> metered(String authorization, String requestId, String client,
            MeteredCall.Endpoint endpoint, Function<MeteredCall, CompletionStage<Response.ResponseBuilder>> work) {
        Instant started = Instant.now();
        UUID id = requestIdOf(requestId);
        KeyPrincipal caller;
        try {
            caller = authenticator.authenticate(authorization, client);
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(ErrorBodies.response(PATH, e));
        }
        ActivePlan plan = null;
        LocalDate period;
        ApiException planUnknown = null;
        try {
            plan = plans.at(caller.tenantId(), started).orElse(null);
            ZoneId zone = plan != null ? plan.zone() : plans.zoneOf(caller.tenantId());
            period = BillingPeriods.periodOf(started, zone);
        } catch (RuntimeException e) {
            // Without its plan a call can be neither limited nor priced: refuse it (recorded, not billed).
            period = BillingPeriods.periodOf(started, ZoneOffset.UTC);
            planUnknown = ApiException.unavailable("plan_unavailable",
                    "the tenant's plan cannot be read right now; retry shortly", e);
        }
        MeteredCall call = new MeteredCall(id, endpoint, caller, started, plan, period);
        CompletionStage<Response.ResponseBuilder> answer;
        try {
            if (!"ACTIVE".equals(caller.tenantStatus())) {
                throw CallerRefusals.of(caller);
            }
            if (caller.disabled()) {
                throw CallerRefusals.disabled();
            }
            if (!caller.allows(client)) {
                throw CallerRefusals.network(caller, client);
            }
            if (planUnknown != null) {
                throw planUnknown;
            }
            answer = work.apply(call);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Response> outcome = answer.toCompletableFuture()
                .handle((builder, failure) -> outcome(call, builder, failure));
        // The stage returned is one of its own: the REST layer cancels it when the client goes away, and the row must
        // be committed (and the admission finished) whatever becomes of it. No thread waits for the commit.
        CompletableFuture<Response> settled = new CompletableFuture<>();
        outcome.whenComplete((response, failure) -> {
            if (failure != null) { // outcome(...) itself failed: nothing to record, give the admission back
                call.admission.finish(Consumption.NOTHING);
                settled.completeExceptionally(failure);
                return;
            }
            settle(call, response).whenComplete((answered, broken) -> {
                if (broken != null) {
                    settled.completeExceptionally(broken instanceof CompletionException c && c.getCause() != null
                            ? c.getCause() : broken);
                } else {
                    settled.complete(answered);
                }
            });
        });
        return settled;
    }

    /** The settling threads, each task with the call's request id in the logging MDC. */
    private Executor settlingFor(MeteredCall call) {
        String requestId = call.requestId.toString();
        return task -> settling.execute(RequestIds.withMdc(requestId, task));
    }

    /** The answer the work built, or the error body of why it failed. */
    private static Response outcome(MeteredCall call, Response.ResponseBuilder builder, Throwable failure) {
        if (failure == null) {
            return builder.build();
        }
        Throwable cause = Dispatcher.unwrap(failure);
        if (cause instanceof ApiException e) {
            call.errorCode = e.code();
            return ErrorBodies.response(PATH, e);
        }
        LOG.errorf(cause, "gateway call failed (request id %s)", call.requestId);
        call.errorCode = "internal_error";
        return ErrorBodies.response(PATH, 500, "internal_error", "Internal Server Error",
                "internal error; quote request id " + call.requestId + " when reporting it");
    }

    /**
     * Queues the call's usage row; once it is committed, finishes the call's admission (on a settling thread) and
     * answers what may leave, with billing headers.
     */
    private CompletionStage<Response> settle(MeteredCall call, Response response) {
        CompletableFuture<Cost> committed;
        try {
            if (call.idempotencyKey != null) {
                call.idempotent = new UsageRecord.Idempotent(call.idempotencyKey, response.getStatus(),
                        response.getMediaType() == null ? null : response.getMediaType().toString(),
                        replayableHeaders(response), entityBytes(response.getEntity()));
            }
            committed = usage.recordAsync(call.toRecord(response.getStatus(), entityLength(response.getEntity()),
                    Instant.now()));
        } catch (RuntimeException e) {
            committed = CompletableFuture.failedFuture(e);
        }
        return committed.handleAsync((cost, failure) -> settled(call, response, cost, failure), settlingFor(call));
    }

    /** The answer once the call's row is committed (or could not be): admission finished, headers added. */
    private Response settled(MeteredCall call, Response response, Cost cost, Throwable failure) {
        UUID id = call.requestId;
        MeteredCall.Endpoint endpoint = call.endpoint;
        KeyPrincipal caller = call.caller;
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof ApiException e) {
            call.admission.finish(Consumption.NOTHING);
            releaseKey(call);
            LOG.errorf("usage of request %s could not be recorded: %s", id, e.getMessage());
            call.errorCode = e.code();
            Response refused = ErrorBodies.response(PATH, e);
            // The call's row was withdrawn; what the client gets instead is recorded when the database can take it.
            usage.recordInBackground(call.toRecord(refused.getStatus(), ((byte[]) refused.getEntity()).length,
                    Instant.now()));
            countSettled(call, refused.getStatus(), false);
            return endpoint == MeteredCall.Endpoint.INFER ? withBillingHeaders(refused, call, 0) : refused;
        }
        if (cause != null) {
            call.admission.finish(Consumption.NOTHING);
            releaseKey(call);
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }
        boolean billed = call.billable(response.getStatus());
        countSettled(call, response.getStatus(), billed);
        if (call.canary != null) {
            canaries.observe(call.modelId, call.modelName, call.canary, response.getStatus(), call.errorCode);
        }
        LOG.debugf("settled %s call of tenant %s to %s: %d%s", endpoint, caller.tenantSlug(), call.modelName,
                response.getStatus(), billed ? ", billed" : "");
        call.admission.finish(billed ? new Consumption(1, call.items, call.computeUs, cost.totalNanos())
                : Consumption.NOTHING);
        if (billed) {
            limits.observe(caller.tenantId(), call.modelName, call.items, call.computeUs, cost.totalNanos());
        }
        return endpoint == MeteredCall.Endpoint.INFER
                ? withBillingHeaders(response, call, billed ? cost.totalNanos() : 0) : response;
    }

    /** Per-tenant meters of an infer call, from what its usage row says. */
    private void countSettled(MeteredCall call, int status, boolean billed) {
        if (call.endpoint == MeteredCall.Endpoint.INFER) {
            tenantMetrics.inferSettled(call.caller.tenantSlug(), call.resolvedModel(), status,
                    call.errorCode(status), billed ? call.items : -1);
        }
    }

    private static long entityLength(Object entity) {
        return entity instanceof byte[] b ? b.length : entity instanceof Buffer buffer ? buffer.length() : 0;
    }

    private static byte[] entityBytes(Object entity) {
        return entity instanceof byte[] b ? b : entity instanceof Buffer buffer ? buffer.getBytes() : new byte[0];
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** The answer of a stage that completed on the calling thread. */
    private static Response now(CompletionStage<Response> stage) {
        return stage.toCompletableFuture().join();
    }

    /** The version that answered, and its sunset when the caller named it or its tenant pinned it. */
    private static Response.ResponseBuilder versioned(Response.ResponseBuilder answer, MeteredCall call,
            String model) {
        return SunsetHeaders.add(answer.header(VERSION_HEADER, call.modelVersion), model, call.deprecation);
    }

    /** The headers a replay repeats: what the answer says about the model, not about this delivery. */
    private static Map<String, String> replayableHeaders(Response response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {DEVICE_HEADER, VERSION_HEADER, INFERENCE_HEADER, SunsetHeaders.DEPRECATION,
            SunsetHeaders.SUNSET, SunsetHeaders.LINK}) {
            Object value = response.getHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value.toString());
            }
        }
        return headers;
    }

    /** The call's row was not committed, so its answer was not stored either: a retry with its key must run again. */
    private void releaseKey(MeteredCall call) {
        if (call.idempotencyKey == null) {
            return;
        }
        try {
            idempotency.release(call.caller.tenantId(), call.idempotencyKey, call.requestId);
        } catch (RuntimeException e) {
            LOG.warnf("Idempotency-Key of request %s could not be released (%s); it frees itself after the lock"
                    + " timeout", call.requestId, e.getMessage());
        }
    }

    /**
     * The headers every inference answer carries: its cost, and the per-minute limit closest to exhaustion. Added to
     * the built answer's own header map (the answer is this call's alone and has not been written yet), instead of
     * copying the whole answer into a new builder and building it again on every call.
     */
    private Response withBillingHeaders(Response response, MeteredCall call, long costNanos) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.add(COST_HEADER, Money.ofNanos(costNanos));
        if (call.plan != null) {
            headers.add(CURRENCY_HEADER, call.plan.spec().currency());
        }
        Admission.RateView rate = call.admission.rate();
        if (rate == null && (call.plan != null || call.caller.requestsPerMinute() != null)) {
            // not admitted (refused, or failed before the limits): where the client stands all the same
            rate = limits.rateView(call.caller.tenantId(), call.caller.keyId(), call.caller.requestsPerMinute(),
                    call.plan, call.startedAt);
        }
        if (rate != null) {
            headers.add("x-ratelimit-limit-requests", Long.toString(rate.limit()));
            headers.add("x-ratelimit-remaining-requests", Long.toString(rate.remaining()));
            headers.add("x-ratelimit-reset-requests", rate.resetSeconds() + "s");
        }
        return response;
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
}
