package io.aiaas.platform.webhook.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.WebhookConfig;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One send of the dispatcher, without a database: the request it makes and the addresses it refuses. */
class WebhookSendTest {

    static WebhookConfig config(boolean allowPrivate) {
        return new WebhookConfig() {
            public Duration pollInterval() {
                return Duration.ofHours(1); // no cycles: this test only sends
            }

            public int batchSize() {
                return 1;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(1);
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(2);
            }

            public int maxAttempts() {
                return 3;
            }

            public Duration initialBackoff() {
                return Duration.ofMillis(100);
            }

            public Duration maxBackoff() {
                return Duration.ofSeconds(1);
            }

            public Duration retention() {
                return Duration.ZERO;
            }

            public boolean allowPrivateAddresses() {
                return allowPrivate;
            }
        };
    }

    static WebhookDispatcher.Outcome send(boolean allowPrivate, WebhookDispatcher.Claimed delivery) throws Exception {
        WebhookDispatcher dispatcher = new WebhookDispatcher(null, config(allowPrivate));
        dispatcher.start(null);
        try {
            return dispatcher.send(delivery).get();
        } finally {
            dispatcher.stop(null);
        }
    }

    @Test
    void aDeliveryToALoopbackAddressIsRefusedAtSendTimeWhenPrivateAddressesAreNotAllowed() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            WebhookDispatcher.Outcome outcome = send(false, new WebhookDispatcher.Claimed(UUID.randomUUID(),
                    UUID.randomUUID(), "webhook.test", "{}", 0, receiver.url(), "whsec_x", null));
            assertEquals(0, outcome.status());
            assertTrue(outcome.error().contains("non-public address"), outcome.error());
            assertEquals(0, receiver.received().size(), "nothing may reach the internal address");
        }
    }

    @Test
    void aSendCarriesTheEventHeadersAndAVerifiableSignature() throws Exception {
        UUID delivery = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        String secret = WebhookSignatures.newSecret();
        String body = "{\"id\":\"" + event + "\",\"type\":\"webhook.test\",\"data\":{\"note\":\"caf\u00e9\"}}";
        try (WebhookReceiver receiver = new WebhookReceiver(204)) {
            WebhookDispatcher.Outcome outcome = send(true, new WebhookDispatcher.Claimed(delivery, event,
                    "webhook.test", body, 0, receiver.url(), secret, null));
            assertEquals(204, outcome.status());
            assertNull(outcome.error());
            assertEquals(1, receiver.received().size());
            WebhookReceiver.Received got = receiver.received().get(0);
            assertEquals(body, got.body());
            assertEquals("application/json", got.header("content-type"));
            assertEquals(event.toString(), got.header("x-aiaas-event-id"));
            assertEquals("webhook.test", got.header("x-aiaas-event-type"));
            assertEquals(delivery.toString(), got.header("x-aiaas-delivery-id"));
            assertTrue(WebhookReceiver.verify(secret, got.header("x-aiaas-signature"), got.body(), 60),
                    got.header("x-aiaas-signature"));
            assertTrue(!WebhookReceiver.verify("whsec_other", got.header("x-aiaas-signature"), got.body(), 60));
            assertTrue(!WebhookReceiver.verify(secret, got.header("x-aiaas-signature"), got.body() + " ", 60));
        }
    }

    @Test
    void duringAnOverlapTheSendCarriesTheNewSignatureFirstThenThePreviousOne() throws Exception {
        String secret = WebhookSignatures.newSecret();
        String previous = WebhookSignatures.newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(204)) {
            send(true, new WebhookDispatcher.Claimed(UUID.randomUUID(), UUID.randomUUID(), "webhook.test", "{}", 0,
                    receiver.url(), secret, previous));
            WebhookReceiver.Received got = receiver.received().get(0);
            String[] parts = got.header("x-aiaas-signature").split(",");
            assertEquals(3, parts.length, got.header("x-aiaas-signature"));
            assertTrue(WebhookReceiver.verify(secret, parts[0] + "," + parts[1], got.body(), 60));
            assertTrue(WebhookReceiver.verify(previous, parts[0] + "," + parts[2], got.body(), 60));
            assertTrue(!WebhookReceiver.verify(previous, parts[0] + "," + parts[1], got.body(), 60));
        }
    }

    @Test
    void aRefusedConnectionIsAFailureInPlainWords() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WebhookDispatcher.Outcome outcome = send(true, new WebhookDispatcher.Claimed(UUID.randomUUID(),
                UUID.randomUUID(), "webhook.test", "{}", 0, "http://127.0.0.1:" + closedPort + "/", "whsec_x", null));
        assertEquals(0, outcome.status());
        assertEquals("connection refused", outcome.error());
    }
}
