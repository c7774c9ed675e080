package io.aiaas.worker.rest;

import io.aiaas.worker.config.WorkerConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Enforces {@code aiaas.worker.max-request-bytes} with a JSON 413: up front from Content-Length, and while
 * streaming for chunked bodies, which the infer endpoint reads as a stream past Quarkus' own body limit.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;

    public BodyLimit(WorkerConfig config) {
        this.maxBytes = config.maxRequestBytes();
    }

    /** The routing-context key through which Quarkus hands its body limit to the JAX-RS input stream. */
    static final String QUARKUS_STREAM_LIMIT = "io.quarkus.max-request-size";

    void register(@Observes Router router) {
        // After the auth filter (-1000), before Quarkus' own check (-2), which answers 413 without a body.
        router.route().order(-999).handler(this::checkDeclaredLength);
        // Quarkus (-2) also makes the JAX-RS input stream of a chunked body answer a bodiless 413 past its limit,
        // counting bytes received rather than read. Bodies are read only through limit() below, which answers the
        // JSON 413 at the same limit, so that check is switched off for the stream.
        router.route().order(-1).handler(ctx -> {
            if (ctx.get(QUARKUS_STREAM_LIMIT) != null) {
                ctx.put(QUARKUS_STREAM_LIMIT, -1L);
            }
            ctx.next();
        });
    }

    private void checkDeclaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBytes) {
                    ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                            .putHeader("Connection", "close")
                            .end(new JsonObject().put("error", new RequestTooLargeException(maxBytes).getMessage()).encode());
                    return;
                }
            } catch (NumberFormatException ignored) {
                // Vert.x rejects a malformed Content-Length itself.
            }
        }
        ctx.next();
    }

    /** Wraps a streamed body so that reading past the limit throws {@link RequestTooLargeException}. */
    public InputStream limit(InputStream body) {
        return new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > maxBytes) {
                    throw new RequestTooLargeException(maxBytes);
                }
            }
        };
    }
}
