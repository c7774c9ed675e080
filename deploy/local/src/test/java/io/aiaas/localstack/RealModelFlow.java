package io.aiaas.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.onnx.builder.RealModels;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One {@link RealModels.Pattern} taken through the platform as an operator and a tenant would, against real
 * processes: the admin creates a public model and uploads the file without an example (201, warm-up {@code zeros},
 * or {@code skipped} with a reason when the model refuses zeros); the worker reports the version READY even then;
 * a tenant's key gets the pattern's expected answer for its example and a 400 naming the model and the refusing
 * node for its rejected request, with a billable usage row for the first only; an example the model refuses is
 * refused; the admin registers the example, which the cards then show and the worker warms the version up with; a
 * second version gets its example the same way, and the metadata lists both versions in numeric order.
 * <p>
 * The flow never stops at a failed check that later steps do not depend on: each one adds a line to
 * {@link Outcome#problems}, and only an answer that later steps need (an upload, a READY) stops it.
 */
final class RealModelFlow {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final long POLL_MS = 200;
    /** What a cleaned ONNX Runtime message must not contain: source files and lines, build paths, library classes. */
    static final Pattern INTERNALS = Pattern.compile(
            "(?i)(onnxruntime[/_]|\\.(cc|cpp|cxx|h|hpp)\\b|[A-Za-z]:\\\\|/[\\w.-]+/[\\w.-]+/|ai\\.onnxruntime|OrtException"
                    + "|\\bat [a-z]+\\.[a-z]+\\.)");

    /** What the flow needs from the running stack. */
    record Stack(ApiClient api, String admin, String tenant, String apiKey, ApiClient worker,
                 CachedTokenSource workerTokens, StackDb db) {
    }

    /** One call's usage row. */
    record UsageRow(int status, boolean billable, String errorCode) {
        @Override
        public String toString() {
            return status + (billable ? " billable" : " not billable") + (errorCode == null ? "" : " (" + errorCode + ")");
        }
    }

    /** What happened to one pattern: the figures of its RESULT line and every check that failed. */
    static final class Outcome {
        final String pattern;
        final String model;
        final boolean zerosFail;
        String warmup = "-";
        String warmupReason;
        long uploadMs = -1;
        long readyMs = -1;
        String exampleV1 = "-";
        int rejectedStatus;
        String rejectedError = "";
        String usage = "-";
        int refusedExampleStatus;
        long rewarmV1Ms = -1;
        final Map<Integer, Integer> callsDuringRewarm = new TreeMap<>();
        String firstRefusalDuringRewarm;
        long readyV2Ms = -1;
        long warmedV2Ms = -1;
        String metadata = "-";
        String exampleV2 = "-";
        final List<String> problems = new ArrayList<>();

        Outcome(RealModels.Pattern pattern) {
            this.pattern = pattern.name();
            this.model = "real-" + pattern.name();
            this.zerosFail = pattern.zerosFail();
        }

        void check(boolean ok, String problem) {
            if (!ok) {
                problems.add(problem);
            }
        }

        String line() {
            return String.format("RESULT real model %s: warm-up %s%s; v1 upload %d ms, READY on the worker %s; "
                            + "example %s; rejected -> %d %s; usage %s; a refused example -> %d; with the example "
                            + "v1 re-warmed in %s (v1 calls meanwhile %s%s), v2 READY %s and warmed with its example %s "
                            + "after the PUT; metadata %s; v2 example %s; %s",
                    pattern, warmup, warmupReason == null ? "" : " (" + abbreviate(warmupReason, 90) + ")", uploadMs,
                    millis(readyMs) + (readyMs < 0 ? "" : " after the 201"), exampleV1, rejectedStatus,
                    abbreviate(rejectedError, 200), usage, refusedExampleStatus, millis(rewarmV1Ms), callsDuringRewarm,
                    firstRefusalDuringRewarm == null ? "" : ", the first refused: " + firstRefusalDuringRewarm,
                    millis(readyV2Ms), millis(warmedV2Ms), metadata, exampleV2,
                    problems.isEmpty() ? "all checks passed" : problems.size() + " problem(s): " + problems);
        }

        private static String millis(long ms) {
            return ms < 0 ? "-" : ms + " ms";
        }
    }

    private final Stack s;
    private final RealModels.Pattern p;
    private final Outcome o;

    private RealModelFlow(Stack stack, RealModels.Pattern pattern, Outcome outcome) {
        this.s = stack;
        this.p = pattern;
        this.o = outcome;
    }

    /** Runs every step for one pattern; never throws, the outcome says what failed. */
    static Outcome run(Stack stack, RealModels.Pattern pattern) {
        Outcome outcome = new Outcome(pattern);
        try {
            new RealModelFlow(stack, pattern, outcome).steps();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.problems.add("interrupted");
        } catch (AssertionError | Exception e) {
            outcome.problems.add("stopped: " + e.getMessage());
        }
        return outcome;
    }

    private void steps() throws InterruptedException, SQLException {
        String model = o.model;
        s.api.postJson("/admin/v1/models", s.admin, Map.of("name", model, "description",
                "real-model pattern " + p.name(), "visibility", "public")).expect(201);

        // ---- version 1 without an example: accepted and READY even when zeros fail
        long begin = System.nanoTime();
        JsonNode v1 = require(upload(), 201, "upload of version 1").json();
        o.uploadMs = millisSince(begin);
        o.warmup = v1.path("warmup").path("status").asText("-");
        o.warmupReason = text(v1.path("warmup").path("reason"));
        checkUploadWarmup(v1, 1);
        long uploaded = System.nanoTime();
        JsonNode placement = awaitPlacement(1, pl -> "ready".equals(pl.path("state").asText()), "READY");
        o.readyMs = millisSince(uploaded);
        checkPlacementReason(placement, 1, false);
        JsonNode onWorker = awaitWorker(1, e -> "READY".equals(e.path("state").asText()), "READY");
        o.check(expectedZerosWarmup().equals(onWorker.path("warmup").path("status").asText()),
                "v1 on the worker: warm-up " + onWorker.path("warmup") + ", expected " + expectedZerosWarmup());

        // ---- the metadata says how version 1 was warmed up, skipped with its reason included
        JsonNode warmupMeta = require(s.api.get("/v2/models/" + model, s.apiKey), 200, "metadata of v1").json()
                .path("warmup");
        o.check(expectedZerosWarmup().equals(warmupMeta.path("status").asText())
                        && (p.zerosFail() == (text(warmupMeta.path("reason")) != null)),
                "v1 metadata warmup " + warmupMeta + ", expected " + expectedZerosWarmup());

        // ---- a tenant calls it: the example answers, the rejected request is the client's 400
        ApiClient.Response ok = require(infer(null, p.exampleRequest()), 200, "the example on version 1");
        o.check("1".equals(ok.header("x-aiaas-model-version").orElse(null)), "v1 example: x-aiaas-model-version "
                + ok.header("x-aiaas-model-version").orElse(null));
        List<String> v1Mismatches = OipOutputs.mismatches(p.expected(), ok.json().path("outputs"));
        o.exampleV1 = v1Mismatches.isEmpty() ? "200, outputs as expected" : "200, outputs differ";
        v1Mismatches.forEach(m -> o.problems.add("v1 example: " + m));

        ApiClient.Response bad = infer(null, p.rejectedRequest());
        o.rejectedStatus = bad.status();
        o.rejectedError = bad.json().path("error").asText(bad.body());
        o.check(bad.status() == 400, "rejected request: HTTP " + bad.status() + " " + abbreviate(bad.body(), 300));
        checkRejectionMessage(o.rejectedError, "rejected request");

        UsageRow okRow = usageRow(ok);
        UsageRow badRow = usageRow(bad);
        o.usage = "200 -> " + okRow + ", " + bad.status() + " -> " + badRow;
        o.check(okRow != null && okRow.billable() && okRow.status() == 200, "usage row of the 200: " + okRow);
        o.check(badRow != null && !badRow.billable() && badRow.status() == bad.status(),
                "usage row of the rejected call: " + badRow);

        // ---- an example the model refuses is refused, and nothing is stored
        ApiClient.Response refused = s.api.putJson(examplePath(1), s.admin, p.rejectedRequest());
        o.refusedExampleStatus = refused.status();
        o.check(refused.status() == 400 && "invalid_example".equals(refused.json().path("code").asText()),
                "refused example: HTTP " + refused.status() + " " + abbreviate(refused.body(), 300));
        checkRejectionMessage(refused.json().path("detail").asText(""), "refused example");
        o.check(version(card(), 1).path("example").isNull(), "a refused example must not be stored: "
                + version(card(), 1).path("example"));

        // ---- the example of version 1: stored with its answer; the worker warms v1 up with it
        JsonNode put1 = require(s.api.putJson(examplePath(1), s.admin, p.exampleRequest()), 200, "example of v1")
                .json();
        checkExampleVersion(put1, 1, "PUT example v1");
        o.rewarmV1Ms = rewarmWhileCalling(1);

        // ---- version 2, then its example
        JsonNode v2 = require(upload(), 201, "upload of version 2").json();
        o.check(v2.path("version").asInt() == 2, "second upload is version " + v2.path("version"));
        checkUploadWarmup(v2, 2);
        long uploaded2 = System.nanoTime();
        awaitPlacement(2, pl -> "ready".equals(pl.path("state").asText()), "READY");
        o.readyV2Ms = millisSince(uploaded2);
        long put2At = System.nanoTime();
        JsonNode put2 = require(s.api.putJson(examplePath(2), s.admin, p.exampleRequest()), 200, "example of v2")
                .json();
        checkExampleVersion(put2, 2, "PUT example v2");
        awaitWorker(2, e -> "READY".equals(e.path("state").asText())
                && "example".equals(e.path("warmup").path("status").asText()), "READY warmed up with the example");
        o.warmedV2Ms = millisSince(put2At);
        // the card's placement follows with the worker's next heartbeat (sent right after a load)
        JsonNode placement2 = awaitPlacement(2, pl -> "ready".equals(pl.path("state").asText())
                && pl.path("reason").isNull(), "READY without a skipped-warm-up reason");
        checkPlacementReason(placement2, 2, true);

        // ---- the cards: admin and tenant
        JsonNode card = card();
        for (int v = 1; v <= 2; v++) {
            checkExampleVersion(version(card, v), v, "admin card v" + v);
        }
        JsonNode tenantCard = require(s.api.get("/api/v1/tenants/" + s.tenant + "/models/" + model, s.admin), 200,
                "the tenant's model card").json();
        o.check(tenantCard.path("latest_version").asInt() == 2, "tenant card latest_version "
                + tenantCard.path("latest_version"));
        for (int v = 1; v <= 2; v++) {
            checkExampleVersion(version(tenantCard, v), v, "tenant card v" + v);
        }

        // ---- metadata: both versions in numeric order, the warm-up of the one served by default
        ApiClient.Response metadata = require(s.api.get("/v2/models/" + model, s.apiKey), 200, "metadata");
        JsonNode meta = metadata.json();
        o.metadata = "versions " + meta.path("versions") + " warm-up " + meta.path("warmup").path("status").asText();
        o.check("[\"1\",\"2\"]".equals(meta.path("versions").toString()), "metadata versions " + meta.path("versions"));
        o.check("example".equals(meta.path("warmup").path("status").asText()), "metadata warmup " + meta.path("warmup"));
        o.check("2".equals(metadata.header("x-aiaas-model-version").orElse(null)), "metadata x-aiaas-model-version "
                + metadata.header("x-aiaas-model-version").orElse(null));
        JsonNode meta1 = require(s.api.get("/v2/models/" + model + "/versions/1", s.apiKey), 200, "v1 metadata").json();
        o.check("example".equals(meta1.path("warmup").path("status").asText()), "v1 metadata warmup "
                + meta1.path("warmup"));

        // ---- the default version is now 2 and answers the example the same way
        ApiClient.Response ok2 = require(infer(null, p.exampleRequest()), 200, "the example on the default version");
        o.check("2".equals(ok2.header("x-aiaas-model-version").orElse(null)), "default version "
                + ok2.header("x-aiaas-model-version").orElse(null));
        List<String> v2Mismatches = OipOutputs.mismatches(p.expected(), ok2.json().path("outputs"));
        o.exampleV2 = v2Mismatches.isEmpty() ? "200, outputs as expected" : "200, outputs differ";
        v2Mismatches.forEach(m -> o.problems.add("v2 example: " + m));
        ApiClient.Response bad2 = infer(null, p.rejectedRequest());
        o.check(bad2.status() == 400, "rejected request on v2: HTTP " + bad2.status());
    }

    // ---- checks ----------------------------------------------------------------------------------------------------

    private String expectedZerosWarmup() {
        return p.zerosFail() ? "skipped" : "zeros";
    }

    private void checkUploadWarmup(JsonNode version, int v) {
        JsonNode warmup = version.path("warmup");
        o.check("ready".equals(version.path("status").asText()), "v" + v + " upload status " + version.path("status"));
        o.check(expectedZerosWarmup().equals(warmup.path("status").asText()),
                "v" + v + " upload warm-up " + warmup + ", expected " + expectedZerosWarmup());
        String reason = text(warmup.path("reason"));
        if (p.zerosFail()) {
            o.check(reason != null && !reason.isBlank(), "v" + v + " skipped warm-up without a reason");
            o.check(reason == null || !INTERNALS.matcher(reason).find(), "v" + v + " warm-up reason shows internals: "
                    + reason);
        } else {
            o.check(reason == null, "v" + v + " warm-up zeros with a reason: " + reason);
        }
        o.check(version.path("example").isNull() || version.path("example").isMissingNode(),
                "v" + v + " upload has an example: " + version.path("example"));
    }

    /** The worker's placement reason: the skipped warm-up while there is no example, nothing once warmed with one. */
    private void checkPlacementReason(JsonNode placement, int v, boolean withExample) {
        String reason = text(placement.path("reason"));
        if (p.zerosFail() && !withExample) {
            o.check(reason != null && reason.startsWith("warm-up skipped"), "v" + v + " placement reason " + reason);
        } else {
            o.check(reason == null, "v" + v + " placement reason " + reason);
        }
    }

    /** A 400 from the model: names the model and the node that refused, carries no internals. */
    private void checkRejectionMessage(String message, String what) {
        o.check(message.contains(o.model), what + ": the message does not name the model: " + message);
        o.check(message.contains(p.rejectedNode()), what + ": the message does not name node " + p.rejectedNode()
                + ": " + message);
        o.check(!INTERNALS.matcher(message).find(), what + ": the message shows internals: " + message);
    }

    /** A version view with the example: warm-up {@code example}, the request as sent, the expected answer. */
    private void checkExampleVersion(JsonNode version, int v, String where) {
        o.check(version.path("version").asInt() == v, where + ": version " + version.path("version"));
        o.check("example".equals(version.path("warmup").path("status").asText()), where + ": warmup "
                + version.path("warmup"));
        JsonNode example = version.path("example");
        o.check(Json.parse(p.exampleRequest()).equals(example.path("request")), where + ": example.request "
                + abbreviate(example.path("request").toString(), 200));
        OipOutputs.mismatches(p.expected(), example.path("response").path("outputs"))
                .forEach(m -> o.problems.add(where + ": example.response " + m));
    }

    // ---- waiting ---------------------------------------------------------------------------------------------------

    /**
     * Calls version v with the example until the worker reports it READY and warmed up with the example, counting
     * the answers by status: the worker replaces the loaded version when its example changes.
     */
    private long rewarmWhileCalling(int v) throws InterruptedException, SQLException {
        long begin = System.nanoTime();
        long deadline = begin + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            ApiClient.Response call = infer(v, p.exampleRequest());
            o.callsDuringRewarm.merge(call.status(), 1, Integer::sum);
            if (call.status() != 200) {
                if (o.firstRefusalDuringRewarm == null) {
                    o.firstRefusalDuringRewarm = call.status() + " " + abbreviate(call.body(), 120)
                            + call.header("retry-after").map(s -> " Retry-After: " + s).orElse("");
                }
                UsageRow row = usageRow(call);
                o.check(row == null || !row.billable(), "a refused call during the re-warm is billed: " + row);
            }
            JsonNode entry = workerEntry(v);
            last = String.valueOf(entry);
            if (entry != null && "READY".equals(entry.path("state").asText())
                    && "example".equals(entry.path("warmup").path("status").asText())) {
                return millisSince(begin);
            }
            Thread.sleep(POLL_MS);
        }
        throw new AssertionError("v" + v + " not re-warmed with the example on the worker within "
                + READY_TIMEOUT.toSeconds() + " s; last: " + last);
    }

    private JsonNode awaitPlacement(int v, Predicate<JsonNode> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode placements = version(card(), v).path("placements");
            last = placements.toString();
            for (JsonNode placement : placements) {
                if (wanted.test(placement)) {
                    return placement;
                }
                if ("failed".equals(placement.path("state").asText())) {
                    throw new AssertionError("v" + v + " FAILED on the worker: " + placement.path("reason"));
                }
            }
            Thread.sleep(POLL_MS);
        }
        throw new AssertionError("v" + v + " placement not " + what + " within " + READY_TIMEOUT.toSeconds()
                + " s; last: " + last);
    }

    private JsonNode awaitWorker(int v, Predicate<JsonNode> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode entry = workerEntry(v);
            last = String.valueOf(entry);
            if (entry != null && wanted.test(entry)) {
                return entry;
            }
            if (entry != null && "FAILED".equals(entry.path("state").asText())) {
                throw new AssertionError("v" + v + " FAILED on the worker: " + entry.path("reason"));
            }
            Thread.sleep(POLL_MS);
        }
        throw new AssertionError("v" + v + " not " + what + " on the worker within " + READY_TIMEOUT.toSeconds()
                + " s; last: " + last);
    }

    // ---- calls -----------------------------------------------------------------------------------------------------

    private ApiClient.Response upload() {
        return s.api.postBytes("/admin/v1/models/" + o.model + "/versions", s.admin, p.onnx(),
                "application/octet-stream");
    }

    private ApiClient.Response infer(Integer version, String body) {
        String path = "/v2/models/" + o.model + (version == null ? "" : "/versions/" + version) + "/infer";
        return s.api.postJson(path, s.apiKey, body);
    }

    private String examplePath(int v) {
        return "/admin/v1/models/" + o.model + "/versions/" + v + "/example";
    }

    private JsonNode card() {
        return require(s.api.get("/admin/v1/models/" + o.model, s.admin), 200, "the admin card").json();
    }

    /** The worker's own view of version v (state, reason, warm-up), from its repository index; null if absent. */
    private JsonNode workerEntry(int v) {
        JsonNode index = require(s.worker.get("/v2/repository/index", s.workerTokens.token()), 200,
                "the worker's repository index").json();
        for (JsonNode entry : index) {
            if (o.model.equals(entry.path("name").asText()) && entry.path("version").asInt() == v) {
                return entry;
            }
        }
        return null;
    }

    private static JsonNode version(JsonNode card, int v) {
        for (JsonNode version : card.path("versions")) {
            if (version.path("version").asInt() == v) {
                return version;
            }
        }
        throw new AssertionError("no version " + v + " on the card: " + abbreviate(card.toString(), 300));
    }

    private UsageRow usageRow(ApiClient.Response response) throws SQLException {
        String id = response.header("x-request-id").orElse(null);
        if (id == null) {
            o.problems.add("HTTP " + response.status() + " without x-request-id");
            return null;
        }
        List<UsageRow> rows = s.db.list(
                "SELECT status_code, billable, error_code FROM usage_records WHERE request_id = ? AND endpoint = 'infer'",
                rs -> new UsageRow(rs.getInt(1), rs.getBoolean(2), rs.getString(3)), UUID.fromString(id));
        o.check(rows.size() == 1, rows.size() + " usage rows for request " + id);
        return rows.isEmpty() ? null : rows.get(rows.size() - 1);
    }

    private ApiClient.Response require(ApiClient.Response response, int status, String what) {
        if (response.status() != status) {
            throw new AssertionError(what + ": HTTP " + response.status() + ", expected " + status + ": "
                    + abbreviate(response.body(), 400));
        }
        return response;
    }

    // ---- text ------------------------------------------------------------------------------------------------------

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    static String abbreviate(String text, int max) {
        if (text == null) {
            return "null";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }
}
