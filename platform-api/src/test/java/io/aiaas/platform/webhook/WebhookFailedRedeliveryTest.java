package io.aiaas.platform.webhook;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * After a receiver's outage, every event whose latest delivery failed since a time is sent again, once: not the
 * events delivered since or on their way, not those before the time, not another tenant's; at most 1,000 a call.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookFailedRedeliveryTest {

    @Inject
    TestDb db;

    private static String path(TenantUser user) {
        return "/api/v1/tenants/" + user.slug() + "/webhook";
    }

    private static Response redeliverFailed(TenantUser user, Object body) {
        return Api.as(user.token()).body(body).post(path(user) + "/deliveries/redeliver-failed");
    }

    private UUID tenantId(TenantUser user) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", user.slug());
    }

    /** A delivery of an event as the dispatcher left it, created {@code minutesAgo}; answers the event's id. */
    private UUID delivery(TenantUser user, UUID event, String state, int minutesAgo, UUID redeliveryOf) {
        UUID id = UUID.randomUUID();
        db.update("""
                INSERT INTO webhook_deliveries (id, tenant_id, event_id, event_type, payload, state, attempts,
                                                next_attempt_at, created_at, redelivery_of)
                VALUES (?, ?, ?, 'invoice.paid', CAST(? AS json), ?, 3, now() + interval '1 day',
                        now() - ? * interval '1 minute', ?)""", id, tenantId(user), event,
                WebhookOutbox.payload(event, "invoice.paid", Instant.now(), user.slug(), WebhookOutbox.data()), state,
                minutesAgo, redeliveryOf);
        return id;
    }

    @Test
    void everyEventWhoseLatestDeliveryFailedSinceIsSentAgainOnce() {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            Api.as(alice.token()).body(Map.of("url", receiver.url())).put(path(alice)).then().statusCode(200);
            UUID before = UUID.randomUUID();
            delivery(alice, before, "FAILED", 180, null); // before the outage asked about
            UUID lost = UUID.randomUUID();
            delivery(alice, lost, "FAILED", 60, null);
            UUID recovered = UUID.randomUUID();
            UUID first = delivery(alice, recovered, "FAILED", 50, null);
            delivery(alice, recovered, "DELIVERED", 40, first); // sent again by hand already
            UUID fine = UUID.randomUUID();
            delivery(alice, fine, "DELIVERED", 30, null);
            UUID onItsWay = UUID.randomUUID();
            UUID failedOnce = delivery(alice, onItsWay, "FAILED", 25, null);
            delivery(alice, onItsWay, "PENDING", 24, failedOnce);
            UUID lostToo = UUID.randomUUID();
            delivery(alice, lostToo, "FAILED", 20, null);
            TenantUser bob = Api.tenantWithAdmin();
            Api.as(bob.token()).body(Map.of("url", receiver.url())).put(path(bob)).then().statusCode(200);
            delivery(bob, UUID.randomUUID(), "FAILED", 10, null);

            String since = Instant.now().minus(Duration.ofHours(2)).toString();
            redeliverFailed(alice, Map.of("since", since)).then().statusCode(202)
                    .body("queued", equalTo(2)).body("more", equalTo(false)).body("since", equalTo(since));
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() >= 2);
            Set<String> events = receiver.received().stream().map(r -> r.header("x-aiaas-event-id"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(lost.toString(), lostToo.toString()), events);
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> db.count("SELECT count(*) FROM"
                    + " webhook_deliveries WHERE tenant_id = ? AND redelivery_of IS NOT NULL AND state = 'DELIVERED'",
                    tenantId(alice)) == 3);
            // once more: nothing left to send
            redeliverFailed(alice, Map.of("since", since)).then().statusCode(202).body("queued", equalTo(0));
            assertEquals(2, receiver.received().size());
            assertEquals(0L, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND redelivery_of"
                    + " IS NOT NULL", tenantId(bob)));
            assertEquals(2L, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                    + " 'webhook.failed_redelivered'", tenantId(alice)));

            // the list narrows to a state, in any case
            Api.as(alice.token()).get(path(alice) + "/deliveries?state=failed").then().statusCode(200)
                    .body("size()", equalTo(5)).body("state", everyItem(equalTo("FAILED")));
            Api.as(alice.token()).get(path(alice) + "/deliveries?state=PENDING").then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].event_id", equalTo(onItsWay.toString()));
            Api.as(alice.token()).get(path(alice) + "/deliveries?state=LOST").then().statusCode(400)
                    .body("code", equalTo("invalid_state")).body("detail", containsString("PENDING, DELIVERED, FAILED"));
        }
    }

    @Test
    void aThousandAtMostACallAndTheAnswerSaysMoreAreLeft() {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            Api.as(alice.token()).body(Map.of("url", receiver.url())).put(path(alice)).then().statusCode(200);
            db.update("""
                    INSERT INTO webhook_deliveries (id, tenant_id, event_id, event_type, payload, state, attempts,
                                                    created_at)
                    SELECT gen_random_uuid(), ?, gen_random_uuid(), 'invoice.paid', '{}'::json, 'FAILED', 3,
                           now() - interval '1 minute' * i
                    FROM generate_series(1, 1001) i""", tenantId(alice));
            String since = Instant.now().minus(Duration.ofDays(1)).toString();
            redeliverFailed(alice, Map.of("since", since)).then().statusCode(202).body("queued", equalTo(1000))
                    .body("more", equalTo(true));
            // the webhook goes away: what was not sent yet fails at its next attempt, sending nothing
            Api.as(alice.token()).delete(path(alice)).then().statusCode(204);
            // the oldest first: the newest is the one left
            UUID newest = (UUID) db.value("SELECT id FROM webhook_deliveries WHERE tenant_id = ? AND redelivery_of"
                    + " IS NULL ORDER BY created_at DESC LIMIT 1", tenantId(alice));
            assertEquals(List.of(newest), db.query("SELECT d.id FROM webhook_deliveries d WHERE d.tenant_id = ?"
                    + " AND d.redelivery_of IS NULL AND NOT EXISTS (SELECT 1 FROM webhook_deliveries r"
                    + " WHERE r.redelivery_of = d.id)", tenantId(alice)).stream().map(r -> r.get("id")).toList());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM"
                    + " webhook_deliveries WHERE tenant_id = ? AND state = 'PENDING'", tenantId(alice)) == 0);
        }
    }

    @Test
    void aSinceThatIsNoInstantNoBodyNoWebhookAndOtherCallersAreRefused() {
        TenantUser alice = Api.tenantWithAdmin();
        redeliverFailed(alice, Map.of("since", "2026-12-01T00:00:00Z")).then().statusCode(409)
                .body("code", equalTo("webhook_not_configured"));
        Api.as(alice.token()).body(Map.of("url", "https://hooks.example.test/h")).put(path(alice)).then()
                .statusCode(200);
        for (String bad : List.of("yesterday", "2026-12-01T00:00:00", "2026-13-01T00:00:00Z", " ")) {
            redeliverFailed(alice, Map.of("since", bad)).then().statusCode(400).body("code", equalTo("invalid_since"));
        }
        redeliverFailed(alice, "{}").then().statusCode(400).body("code", equalTo("invalid_since"));
        redeliverFailed(alice, "").then().statusCode(400);
        redeliverFailed(alice, "{\"since\": 5}").then().statusCode(400);
        Api.as(Api.userOf(alice.slug(), "member").token()).body(Map.of("since", "2026-12-01T00:00:00Z"))
                .post(path(alice) + "/deliveries/redeliver-failed").then().statusCode(403);
        TenantUser bob = Api.tenantWithAdmin();
        Api.as(bob.token()).body(Map.of("since", "2026-12-01T00:00:00Z"))
                .post(path(alice) + "/deliveries/redeliver-failed").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        assertEquals(0L, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                + " 'webhook.failed_redelivered'", tenantId(alice)));
    }
}
