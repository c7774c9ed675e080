package io.aiaas.platform.common.web;

import io.aiaas.platform.common.error.ErrorBodies;
import io.aiaas.platform.common.validation.Text;
import io.aiaas.platform.gateway.GatewayConfig;
import io.aiaas.platform.model.ModelConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Guards every request before any resource sees it, on the event loop (no worker thread is held):
 * <ul>
 * <li>a path or query that decodes to a NUL, an unpaired surrogate or invalid UTF-8 is 400: such text must neither
 * reach SQL nor be silently altered;</li>
 * <li>a body over the limit of its endpoint is 413, from Content-Length at once or as soon as it grows past it;</li>
 * <li>a body that stalls for {@code aiaas.http.body-stall-timeout}, or then arrives slower than
 * {@code aiaas.http.min-body-bytes-per-second}, is cut off with 408, so slow clients cannot tie up the platform.</li>
 * </ul>
 * To measure what a client really sends, the guard reads the body itself, as it arrives, and hands it to the REST
 * layer whole (the way Vert.x's BodyHandler does). The one exception is a model upload, which streams to disk from a
 * worker thread after the caller was authenticated as a platform admin; its blocking reads are bounded by
 * {@code quarkus.http.read-timeout}.
 */
@ApplicationScoped
public class RequestGuard {

    // after RequestIdFilter (10 000), so even these answers carry x-request-id
    private static final int PRIORITY = 9_000;
    private static final long CHECK_EVERY_MILLIS = 100;
    private static final long DRAIN_MILLIS = 2_000;
    private static final Pattern INFER = Pattern.compile("/v2/models/[^/]+(/versions/[^/]+)?/infer");
    private static final Pattern UPLOAD = Pattern.compile("/admin/v1/models/[^/]+/versions");
    private static final Pattern EXAMPLE = Pattern.compile("/admin/v1/models/[^/]+/versions/[^/]+/example");

    private final Vertx vertx;
    private final long stallNanos;
    private final long minBytesPerSecond;
    private final long maxJsonBytes;
    private final long maxInferBytes;
    private final long maxUploadBytes;
    private final long maxExampleBytes;

    RequestGuard(Vertx vertx, HttpConfig http, GatewayConfig gateway, ModelConfig models) {
        this.vertx = vertx;
        this.stallNanos = http.bodyStallTimeout().toNanos();
        this.minBytesPerSecond = http.minBodyBytesPerSecond();
        this.maxJsonBytes = http.maxJsonBytes().asLongValue();
        this.maxInferBytes = gateway.maxRequestBytes().asLongValue();
        this.maxUploadBytes = models.maxUploadBytes();
        this.maxExampleBytes = models.maxExampleBytes();
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    private void guard(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String problem = textProblem("path", request.path());
        if (problem == null) {
            problem = textProblem("query", request.query());
        }
        if (problem != null) {
            refuse(rc, 400, "invalid_request_target", problem);
            return;
        }
        long declared = parse(request.getHeader("Content-Length"));
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked || request.isEnded()) {
            rc.next();
            return;
        }
        boolean upload = request.method() == HttpMethod.POST && UPLOAD.matcher(request.path()).matches();
        long limit = upload ? maxUploadBytes : limitFor(request.method(), request.path());
        if (declared > limit) {
            refuse(rc, 413, "payload_too_large", "The request body (" + declared + " bytes) is larger than"
                    + " the limit of " + limit + " bytes for this endpoint");
            return;
        }
        if (upload) {
            rc.next();
            return;
        }
        readBody(rc, limit, declared);
    }

    /** Reads the whole body on the event loop, watching its size and pace, then lets the request go on. */
    private void readBody(RoutingContext rc, long limit, long declared) {
        HttpServerRequest request = rc.request();
        Buffer body = Buffer.buffer((int) Math.max(256, Math.min(declared, 1 << 20)));
        long started = System.nanoTime();
        long[] lastProgress = {started};
        boolean[] over = {false};
        long timer = vertx.setPeriodic(CHECK_EVERY_MILLIS, id -> {
            if (over[0]) {
                vertx.cancelTimer(id);
                return;
            }
            long now = System.nanoTime();
            long elapsed = now - started;
            boolean stalled = now - lastProgress[0] > stallNanos;
            boolean tooSlow = elapsed > stallNanos && body.length() * 1_000_000_000L / elapsed < minBytesPerSecond;
            if (stalled || tooSlow) {
                over[0] = true;
                vertx.cancelTimer(id);
                ErrorBodies.end(rc, 408, "request_timeout", "The request body arrived too slowly (" + body.length()
                        + " bytes in " + elapsed / 1_000_000 + " ms); send it at " + minBytesPerSecond
                        + " bytes per second or more, without pauses over " + stallNanos / 1_000_000 + " ms");
                // a client this slow gets no more of our time
                rc.request().connection().close();
            }
        });
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                over[0] = true;
                vertx.cancelTimer(timer);
                refuse(rc, 413, "payload_too_large", "The request body is larger than the limit of "
                        + limit + " bytes for this endpoint");
                return;
            }
            body.appendBuffer(chunk);
            lastProgress[0] = System.nanoTime();
        });
        request.endHandler(done -> {
            vertx.cancelTimer(timer);
            if (!over[0]) {
                over[0] = true;
                rc.setBody(body);
                rc.next();
            }
        });
        request.exceptionHandler(failure -> {
            over[0] = true;
            vertx.cancelTimer(timer);
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            rc.response().writeContinue();
        }
        request.resume();
    }

    /**
     * Answers at once, then reads and drops what the client still sends for a moment before closing: closing while
     * it is still sending would reset the connection and lose the answer on its side.
     */
    private void refuse(RoutingContext rc, int status, String code, String detail) {
        ErrorBodies.end(rc, status, code, detail);
        HttpServerRequest request = rc.request();
        if (request.isEnded()) {
            return;
        }
        long closer = vertx.setTimer(DRAIN_MILLIS, id -> request.connection().close());
        request.handler(dropped -> { });
        request.endHandler(done -> vertx.cancelTimer(closer));
        request.exceptionHandler(failure -> vertx.cancelTimer(closer));
        request.resume();
    }

    private long limitFor(HttpMethod method, String path) {
        if (method == HttpMethod.POST && INFER.matcher(path).matches()) {
            return maxInferBytes;
        }
        if (method == HttpMethod.POST && UPLOAD.matcher(path).matches()) {
            return maxUploadBytes;
        }
        if (method == HttpMethod.PUT && EXAMPLE.matcher(path).matches()) {
            return maxExampleBytes;
        }
        return maxJsonBytes;
    }

    private static long parse(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Null when the percent-decoded text is acceptable, else what is wrong with it. */
    static String textProblem(String part, String raw) {
        if (raw == null || raw.indexOf('%') < 0 && Text.problem(raw) == null) {
            return null;
        }
        String decoded;
        try {
            decoded = percentDecode(raw);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return "The request " + part + " is not valid percent-encoded UTF-8";
        }
        String problem = Text.problem(decoded);
        return problem == null ? null : "The request " + part + " " + problem;
    }

    private static String percentDecode(String raw) throws CharacterCodingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%') {
                if (i + 2 >= utf8.length) {
                    throw new IllegalArgumentException("truncated escape");
                }
                int high = Character.digit(utf8[i + 1], 16);
                int low = Character.digit(utf8[i + 2], 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(utf8[i]);
            }
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    }
}
