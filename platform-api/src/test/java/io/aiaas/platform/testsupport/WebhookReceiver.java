package io.aiaas.platform.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP server on loopback that receives webhooks: it answers each request with the next status of its script
 * (the last one repeats), after an optional delay, and keeps what arrived. Verifies signatures on its own, the way a
 * tenant would, without the platform's code.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(long atNanos, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int last;
    private volatile long delayMillis;

    /** A receiver that answers the given statuses in turn, the last one from then on. */
    public WebhookReceiver(int... statuses) {
        for (int status : statuses) {
            script.add(status);
        }
        last = statuses.length == 0 ? 200 : statuses[statuses.length - 1];
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            long at = System.nanoTime();
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(at, Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8)));
            Integer status = script.poll();
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status == null ? last : status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Waits this long before answering each request. */
    public WebhookReceiver delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    /** The URL to configure as the webhook. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/aiaas";
    }

    /** Everything received so far, in order of arrival. */
    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /**
     * Checks an {@code x-aiaas-signature} header as the docs tell tenants to: {@code t=<seconds>,v1=<hex>}, HMAC-SHA256
     * of {@code t + "." + body} keyed with the secret, compared in constant time, t within the tolerance of now.
     */
    public static boolean verify(String secret, String header, String body, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        String t = null;
        List<String> v1 = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                v1.add(kv[1]);
            }
        }
        if (t == null || v1.isEmpty()) {
            return false;
        }
        long timestamp = Long.parseLong(t);
        if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > toleranceSeconds) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String candidate : v1) {
                if (java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(candidate))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
