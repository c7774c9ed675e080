package io.aiaas.platform.webhook.service;

import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.webhook.WebhookConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * Sends queued webhook deliveries, on its own threads and never on a call's path. Every replica runs one; a cycle
 * claims due PENDING rows with {@code FOR UPDATE SKIP LOCKED} and moves their next_attempt_at past the send's
 * longest possible duration in the same short transaction, so no other replica (or concurrent cycle) picks them up
 * while they are in flight, and a replica that dies mid-send only delays them. Each answer is recorded in its own
 * statement: 2xx DELIVERED; anything else (another status, a timeout, a refused connection, a refused address) a
 * retry after {@link Backoff}, or FAILED after {@code aiaas.webhooks.max-attempts}.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final String USER_AGENT = "aiaas-webhooks/1";
    private static final int MAX_ERROR_CHARS = 500;

    private static final String CLAIM = """
            WITH due AS (
                SELECT id FROM webhook_deliveries
                WHERE state = 'PENDING' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED)
            UPDATE webhook_deliveries d SET next_attempt_at = now() + ? * interval '1 millisecond'
            FROM due, tenants t
            WHERE d.id = due.id AND t.id = d.tenant_id
            RETURNING d.id, d.event_id, d.event_type, d.payload::text, d.attempts, t.webhook_url, t.webhook_secret,
                CASE WHEN t.webhook_previous_secret_until > now() THEN t.webhook_previous_secret END""";

    /** Previous secrets whose overlap has ended, forgotten (the claim already ignores them). */
    private static final String FORGET_ENDED_OVERLAPS = """
            UPDATE tenants SET webhook_previous_secret = NULL, webhook_previous_secret_until = NULL
            WHERE webhook_previous_secret IS NOT NULL AND webhook_previous_secret_until <= now()""";

    /** How often a replica forgets ended overlaps. */
    private static final long FORGET_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * One claimed delivery, with where it goes and the secrets that sign it ({@code previousSecret}: the one a
     * rotation replaced, while its overlap runs; else null).
     */
    record Claimed(UUID id, UUID eventId, String eventType, String payload, int attempts, String url, String secret,
            String previousSecret) {
    }

    /** What one attempt came to: a status (0 when none came back) and an error for people (null on success). */
    record Outcome(int status, String error) {
        boolean delivered() {
            return status >= 200 && status < 300 && error == null;
        }
    }

    private final Jdbc jdbc;
    private final WebhookConfig config;
    private final WebhookUrls urls;
    private final long claimMillis;
    private ExecutorService httpThreads;
    private HttpClient http;
    private ScheduledExecutorService loop;
    private long lastForgotten = System.nanoTime() - FORGET_EVERY_NANOS;

    WebhookDispatcher(Jdbc jdbc, WebhookConfig config) {
        this.jdbc = jdbc;
        this.config = config;
        this.urls = new WebhookUrls(config.allowPrivateAddresses());
        // a claimed delivery stays invisible for the longest a send can take, plus a margin
        this.claimMillis = config.connectTimeout().plus(config.requestTimeout()).plusSeconds(30).toMillis();
    }

    void start(@Observes StartupEvent event) {
        httpThreads = Executors.newCachedThreadPool(daemon("webhook-http"));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpThreads)
                .build();
        loop = Executors.newSingleThreadScheduledExecutor(daemon("webhook-dispatcher"));
        long every = Math.max(10, config.pollInterval().toMillis());
        loop.scheduleWithFixedDelay(this::cycle, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
        if (httpThreads != null) {
            httpThreads.shutdownNow();
        }
    }

    private void cycle() {
        try {
            if (System.nanoTime() - lastForgotten >= FORGET_EVERY_NANOS) {
                lastForgotten = System.nanoTime();
                forgetEndedOverlaps();
            }
            // a full batch suggests more are due: go on at once rather than after a poll interval
            while (dispatchDue() == config.batchSize() && !Thread.currentThread().isInterrupted()) {
                Thread.yield();
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook dispatch cycle failed: %s", e.getMessage());
        }
    }

    /**
     * Clears the previous secrets whose overlap has ended, so no secret a tenant rotated out stays stored longer
     * than it asked for.
     *
     * @return the number of tenants whose previous secret was forgotten
     */
    public int forgetEndedOverlaps() {
        return jdbc.update(FORGET_ENDED_OVERLAPS);
    }

    /**
     * One dispatch cycle: claims up to batch-size due deliveries, sends them concurrently, records each outcome.
     * Safe to run concurrently on any number of threads and replicas.
     *
     * @return the number of deliveries attempted
     */
    public int dispatchDue() {
        List<Claimed> claimed = jdbc.inTransaction(c -> Jdbc.query(c, CLAIM,
                rs -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8)),
                config.batchSize(), claimMillis));
        if (claimed.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Outcome>> sends = new ArrayList<>(claimed.size());
        for (Claimed delivery : claimed) {
            sends.add(send(delivery));
        }
        long waitMillis = config.connectTimeout().plus(config.requestTimeout()).plusSeconds(1).toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (int i = 0; i < claimed.size(); i++) {
            Outcome outcome = await(sends.get(i), deadline);
            try {
                record(claimed.get(i), outcome);
            } catch (RuntimeException e) {
                // the claim expires and the delivery is retried: at least once, as webhooks are
                LOG.warnf("could not record webhook delivery %s: %s", claimed.get(i).id(), e.getMessage());
            }
        }
        return claimed.size();
    }

    CompletableFuture<Outcome> send(Claimed delivery) {
        if (delivery.url() == null || delivery.secret() == null) {
            return CompletableFuture.completedFuture(new Outcome(0, "no webhook configured"));
        }
        URI uri;
        try {
            // the address is checked again at each delivery: DNS may have changed since the URL was configured
            uri = urls.check(delivery.url());
        } catch (WebhookUrls.Refused e) {
            return CompletableFuture.completedFuture(new Outcome(0, e.getMessage()));
        }
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("content-type", "application/json")
                .header("user-agent", USER_AGENT)
                .header("x-aiaas-event-id", delivery.eventId().toString())
                .header("x-aiaas-event-type", delivery.eventType())
                .header("x-aiaas-delivery-id", delivery.id().toString())
                .header("x-aiaas-signature", WebhookSignatures.header(delivery.secret(),
                        delivery.previousSecret(), now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> failure == null
                            ? new Outcome(response.statusCode(), response.statusCode() / 100 == 2 ? null
                                    : "HTTP " + response.statusCode())
                            : new Outcome(0, describe(failure)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome(0, describe(e)));
        }
    }

    private static Outcome await(CompletableFuture<Outcome> send, long deadlineNanos) {
        try {
            return send.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // a receiver that trickles its answer: give up on it (the request timeout only covers the headers)
            send.cancel(true);
            return new Outcome(0, "request timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send.cancel(true);
            return new Outcome(0, "interrupted");
        } catch (ExecutionException e) {
            return new Outcome(0, describe(e.getCause()));
        }
    }

    private void record(Claimed delivery, Outcome outcome) {
        int attempts = delivery.attempts() + 1;
        if (outcome.delivered()) {
            jdbc.update("""
                    UPDATE webhook_deliveries SET state = 'DELIVERED', attempts = ?, last_status = ?, last_error = NULL,
                                                  delivered_at = now()
                    WHERE id = ? AND state = 'PENDING' AND attempts = ?""",
                    attempts, outcome.status(), delivery.id(), delivery.attempts());
            return;
        }
        String error = outcome.error().length() > MAX_ERROR_CHARS ? outcome.error().substring(0, MAX_ERROR_CHARS)
                : outcome.error();
        Integer status = outcome.status() == 0 ? null : outcome.status();
        if (attempts >= config.maxAttempts() || delivery.url() == null) {
            jdbc.update("""
                    UPDATE webhook_deliveries SET state = 'FAILED', attempts = ?, last_status = ?, last_error = ?
                    WHERE id = ? AND state = 'PENDING' AND attempts = ?""",
                    attempts, status, error, delivery.id(), delivery.attempts());
            LOG.infof("webhook delivery %s failed after %d attempt(s): %s", delivery.id(), attempts, error);
            return;
        }
        Duration wait = Backoff.after(attempts, config.initialBackoff(), config.maxBackoff(),
                ThreadLocalRandom.current());
        jdbc.update("""
                UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?,
                                              next_attempt_at = now() + ? * interval '1 millisecond'
                WHERE id = ? AND state = 'PENDING' AND attempts = ?""",
                attempts, status, error, wait.toMillis(), delivery.id(), delivery.attempts());
    }

    /** A failure in words a tenant can act on, without class names or stack traces. */
    static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timeout";
        }
        if (t instanceof HttpTimeoutException) {
            return "request timeout";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof java.nio.channels.UnresolvedAddressException
                || t instanceof java.net.UnknownHostException || t.getCause() instanceof
                java.nio.channels.UnresolvedAddressException) {
            return "host cannot be resolved";
        }
        if (t instanceof SSLException) {
            return "TLS handshake failed";
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return "request timeout";
        }
        if (t instanceof IOException) {
            return "connection failed";
        }
        return "delivery failed";
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
