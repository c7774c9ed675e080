package io.aiaas.platform.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.dispatch.Dispatcher;
import io.aiaas.platform.dispatch.ForwardedBody;
import io.aiaas.platform.dispatch.RoutingTable;
import io.aiaas.platform.dispatch.WorkerReply;
import io.aiaas.platform.model.service.VisibleModels.Shadow;
import io.aiaas.platform.model.service.VisibleModels.VisibleModel;
import io.aiaas.platform.model.service.VisibleModels.VisibleVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Shadow traffic: a copy of a share of a model's answered calls goes to its shadow version once the answer is known,
 * and the two answers are compared; the shadow's is thrown away. Nothing of it reaches the client, the usage row or the
 * tenant's limits. Outcomes are counted in {@value #CALLS}{model, version, outcome}: {@code same}, {@code differs}
 * (an output missing, or another datatype, shape or value beyond a tolerance), {@code refused} (the shadow answered
 * 4xx to what the answering version ran), {@code failed} (5xx, no answer, timeout), {@code busy}, {@code skipped}
 * (this replica had {@code aiaas.gateway.max-shadow-in-flight} shadow calls in flight), {@code unserved} (no worker
 * serves the shadow), {@code not_compared} (binary tensors). No HTTP in here beyond the dispatcher's.
 */
@ApplicationScoped
class ShadowCalls {

    static final String CALLS = "aiaas_shadow_calls_total";
    private static final Logger LOG = Logger.getLogger(ShadowCalls.class);
    /** Two values are the same within this much, absolute, plus this much relative to the larger. */
    static final double ABSOLUTE = 1e-5;
    static final double RELATIVE = 1e-4;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Dispatcher dispatcher;
    private final RoutingTable routes;
    private final MeterRegistry registry;
    private final ObjectMapper json;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    /** Comparisons parse both answers: never on an event loop. */
    private final ExecutorService comparing = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "aiaas-shadow-compare");
        thread.setDaemon(true);
        return thread;
    });

    ShadowCalls(Dispatcher dispatcher, RoutingTable routes, MeterRegistry registry, ObjectMapper json,
            GatewayConfig config) {
        this.dispatcher = dispatcher;
        this.routes = routes;
        this.registry = registry;
        this.json = json;
        this.maxInFlight = config.maxShadowInFlight();
    }

    void stop(@Observes ShutdownEvent event) {
        comparing.shutdown();
    }

    /** Calls to shadow versions in flight on this replica now. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * After {@code primary} answered a call that named no version: sends a copy of its body to the model's shadow
     * version when the call is drawn (its percent), and compares the answers when the shadow's comes.
     */
    void mirror(VisibleModel model, ForwardedBody body, WorkerReply primary, int primaryVersion) {
        Shadow shadow = model.shadow();
        if (shadow == null || primary.status() != 200 || primaryVersion == shadow.version()
                || shadow.percent() < 100 && ThreadLocalRandom.current().nextInt(100) >= shadow.percent()) {
            return;
        }
        VisibleVersion version = model.version(shadow.version()).orElse(null);
        if (version == null || !routes.isServing(version.id())) {
            count(model.name(), shadow.version(), "unserved");
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            count(model.name(), shadow.version(), "skipped");
            return;
        }
        boolean binary = body.inferenceHeaderLength() != null || primary.inferenceHeaderLength() != null;
        byte[] expected = binary ? null : primary.body().getBytes(); // the client's answer may be released once sent
        String requestId = UUID.randomUUID().toString();
        CompletionStage<WorkerReply> sent;
        try {
            // a future of its own per call: the dispatcher listens on it, and nothing ever gives up on a shadow call
            sent = dispatcher.forward(version.id(), model.name(), shadow.version(), body, requestId,
                    new CompletableFuture<>(), worker -> { });
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedStage(e);
        }
        sent.whenCompleteAsync((reply, failure) -> {
            try {
                String outcome = binary && failure == null && reply.status() == 200 ? "not_compared"
                        : judge(model.name(), shadow.version(), primaryVersion, requestId, expected, reply, failure);
                count(model.name(), shadow.version(), outcome);
            } catch (RuntimeException e) {
                LOG.warnf("shadow call %s of %s could not be judged: %s", requestId, model.name(), e.getMessage());
            } finally {
                inFlight.decrementAndGet();
            }
        }, comparing);
    }

    private String judge(String model, int shadowVersion, int primaryVersion, String requestId, byte[] expected,
            WorkerReply reply, Throwable failure) {
        if (failure != null) {
            Throwable cause = Dispatcher.unwrap(failure);
            return cause instanceof ApiException e && "worker_busy".equals(e.code()) ? "busy" : "failed";
        }
        if (reply.status() >= 400) {
            return reply.status() >= 500 ? "failed" : "refused";
        }
        String difference;
        try {
            difference = difference(json.readTree(expected), json.readTree(reply.body().getBytes()));
        } catch (IOException e) {
            difference = "the shadow's answer is not JSON";
        }
        if (difference == null) {
            return "same";
        }
        long now = System.nanoTime();
        Long last = lastLogged.get(model);
        if (last == null || now - last > LOG_EVERY_NANOS) {
            lastLogged.put(model, now);
            LOG.infof("shadow version %d of %s differs from version %d (shadow request %s): %s", shadowVersion,
                    model, primaryVersion, requestId, difference);
        }
        return "differs";
    }

    /**
     * How the shadow's answer differs from the answering version's, in words; null when each output of the latter is
     * in the former with the same datatype and shape and values within the tolerance (outputs only the shadow has are
     * new, not a difference).
     */
    static String difference(JsonNode expected, JsonNode actual) {
        Map<String, JsonNode> shadowOutputs = new HashMap<>();
        for (JsonNode output : actual.path("outputs")) {
            shadowOutputs.put(output.path("name").asText(), output);
        }
        for (JsonNode output : expected.path("outputs")) {
            String name = output.path("name").asText();
            JsonNode other = shadowOutputs.get(name);
            if (other == null) {
                return "output '" + name + "' is missing";
            }
            if (!output.path("datatype").equals(other.path("datatype"))) {
                return "output '" + name + "' is " + other.path("datatype").asText() + ", not "
                        + output.path("datatype").asText();
            }
            if (!output.path("shape").equals(other.path("shape"))) {
                return "output '" + name + "' has shape " + other.path("shape") + ", not " + output.path("shape");
            }
            List<JsonNode> want = flat(output.path("data"));
            List<JsonNode> got = flat(other.path("data"));
            if (want.size() != got.size()) {
                return "output '" + name + "' has " + got.size() + " values, not " + want.size();
            }
            for (int i = 0; i < want.size(); i++) {
                if (!same(want.get(i), got.get(i))) {
                    return "output '" + name + "' element " + i + ": " + got.get(i) + " instead of " + want.get(i);
                }
            }
        }
        return null;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            return x == y || Math.abs(x - y) <= ABSOLUTE + RELATIVE * Math.max(Math.abs(x), Math.abs(y));
        }
        return a.equals(b);
    }

    /** The values of a tensor's data, nested arrays flattened (the protocol allows both). */
    private static List<JsonNode> flat(JsonNode data) {
        List<JsonNode> values = new ArrayList<>();
        if (data.isArray()) {
            for (JsonNode value : data) {
                if (value.isArray()) {
                    values.addAll(flat(value));
                } else {
                    values.add(value);
                }
            }
        }
        return values;
    }

    private void count(String model, int version, String outcome) {
        registry.counter(CALLS, "model", model, "version", Integer.toString(version), "outcome", outcome).increment();
    }
}
