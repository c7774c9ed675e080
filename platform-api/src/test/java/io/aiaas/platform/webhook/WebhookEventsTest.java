package io.aiaas.platform.webhook;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import io.aiaas.platform.apikey.service.ApiKeyExpiryNotices;
import io.aiaas.platform.billing.events.Crossed;
import io.aiaas.platform.model.service.ModelGrants;
import io.aiaas.platform.model.service.ModelSunsets;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.webhook.service.WebhookEvents;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A tenant chooses which event types its webhook receives: the choice is checked, kept with a new URL, cleared with
 * the webhook, and holds for every feature's events because they all pass through {@link WebhookOutbox#enqueue};
 * webhook.test is always sent.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookEventsTest {

    @Inject
    TestDb db;

    @Inject
    ApiKeyExpiryNotices expiryNotices;

    private static String path(TenantUser user) {
        return "/api/v1/tenants/" + user.slug() + "/webhook";
    }

    private static TenantUser hooked() {
        TenantUser alice = Api.tenantWithAdmin();
        Api.as(alice.token()).body(Map.of("url", "https://hooks.example.test/h")).put(path(alice)).then()
                .statusCode(200).body("events", nullValue());
        return alice;
    }

    private static io.restassured.response.Response choose(TenantUser user, List<String> events) {
        Map<String, Object> body = new HashMap<>();
        body.put("events", events);
        return Api.as(user.token()).body(body).put(path(user) + "/events");
    }

    private UUID tenantId(TenantUser user) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", user.slug());
    }

    @Test
    void everyTypeAFeatureQueuesCanBeChosen() {
        for (String type : List.of(new Crossed("quota", "requests", "*", 80, "hard", 1, 1).eventType(),
                new Crossed("budget", "cost", "*", 80, "hard", 1, 1).eventType(),
                new Crossed("tenant_budget", "cost", "*", 80, "hard", 1, 1).eventType(),
                new Crossed("key_budget", "cost", "key:x", 80, "hard", 1, 1).eventType(),
                WebhookOutbox.INVOICE_FINALIZED, WebhookOutbox.INVOICE_PAID, WebhookOutbox.INVOICE_PAYMENT_RECEIVED,
                WebhookOutbox.INVOICE_REFUNDED, WebhookOutbox.INVOICE_OVERDUE, WebhookOutbox.TENANT_SUSPENDED,
                WebhookOutbox.TENANT_RESUMED, ModelSunsets.DEPRECATED_EVENT, ModelSunsets.CANCELLED_EVENT,
                ModelGrants.GRANTED_EVENT, ModelGrants.REVOKED_EVENT, ApiKeyExpiryNotices.EXPIRING_EVENT)) {
            assertThat(WebhookEvents.TYPES, hasItem(type));
        }
        assertThat(WebhookEvents.TYPES.size(), equalTo(16));
    }

    @Test
    void theCatalogueIsServedToAnyoneSignedInAndEachTypeInItCanBeChosen() {
        TenantUser alice = hooked();
        io.restassured.response.Response served = Api.as(Api.tenantWithAdmin().token())
                .get("/api/v1/webhook-event-types");
        served.then().statusCode(200).body("size()", equalTo(WebhookEvents.TYPES.size()))
                .body("type", not(hasItem(WebhookOutbox.TEST_EVENT)))
                .body("description", everyItem(not(blankOrNullString())));
        List<String> types = served.jsonPath().getList("type", String.class);
        assertThat(types, equalTo(WebhookEvents.TYPES));
        for (String type : types) {
            choose(alice, List.of(type)).then().statusCode(200).body("events", contains(type));
        }
        io.restassured.RestAssured.given().get("/api/v1/webhook-event-types").then().statusCode(401);
    }

    @Test
    void aChoiceIsAnsweredInTheDocumentedOrderWithoutRepeatsAndAuditedOnceForTheSameAgain() {
        TenantUser alice = hooked();
        choose(alice, List.of("api_key.expiring", "invoice.finalized", " invoice.finalized")).then().statusCode(200)
                .body("url", equalTo("https://hooks.example.test/h"))
                .body("events", contains("invoice.finalized", "api_key.expiring"));
        Api.as(alice.token()).get(path(alice)).then().statusCode(200)
                .body("events", contains("invoice.finalized", "api_key.expiring"));
        choose(alice, List.of("invoice.finalized", "api_key.expiring")).then().statusCode(200);
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = "
                + "'webhook.events_changed'", tenantId(alice)), equalTo(1L));

        // a new URL keeps the choice; every type again is null
        Api.as(alice.token()).body(Map.of("url", "https://hooks.example.test/other")).put(path(alice)).then()
                .statusCode(200).body("events", contains("invoice.finalized", "api_key.expiring"));
        choose(alice, null).then().statusCode(200).body("events", nullValue());
        choose(alice, List.of("tenant.suspended")).then().statusCode(200);
        // removed with the webhook: a new one receives every type
        Api.as(alice.token()).delete(path(alice)).then().statusCode(204);
        Api.as(alice.token()).body(Map.of("url", "https://hooks.example.test/h")).put(path(alice)).then()
                .statusCode(200).body("events", nullValue());
    }

    @Test
    void aChoiceThatIsNoEventTypeIsRefusedNamingTheEntry() {
        TenantUser alice = hooked();
        choose(alice, List.of("invoice.finalized", "invoice.*")).then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("violations[0].field", equalTo("events[1]"))
                .body("violations[0].message", containsString("'invoice.*' is not an event type; the types are "
                        + "quota.threshold_reached, "));
        choose(alice, List.of("webhook.test")).then().statusCode(400)
                .body("violations[0].message", containsString("always sent"));
        choose(alice, List.of()).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("violations[0].field", equalTo("events"));
        choose(alice, Arrays.asList("invoice.paid", null)).then().statusCode(400)
                .body("violations[0].field", equalTo("events[1]"));
        Api.as(alice.token()).body("{}").put(path(alice) + "/events").then().statusCode(400);
        Api.as(alice.token()).body("{\"events\": \"invoice.paid\"}").put(path(alice) + "/events").then()
                .statusCode(400).body("code", equalTo("invalid_json"));
        Api.as(Api.userOf(alice.slug(), "member").token()).body(Map.of("events", List.of("invoice.paid")))
                .put(path(alice) + "/events").then().statusCode(403);

        TenantUser bob = Api.tenantWithAdmin();
        choose(bob, List.of("invoice.paid")).then().statusCode(404).body("code", equalTo("webhook_not_found"));
        choose(alice, List.of("invoice.paid")).then().statusCode(200); // unchanged by the refusals
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = "
                + "'webhook.events_changed'", tenantId(alice)), equalTo(1L));
    }

    @Test
    void eventsNotChosenAreNotQueuedAndATestAlwaysIs() throws Exception {
        TenantUser alice = hooked();
        UUID tenant = tenantId(alice);
        choose(alice, List.of("invoice.finalized")).then().statusCode(200);
        try (Connection c = db.connection()) {
            for (String type : WebhookEvents.TYPES) {
                UUID event = UUID.randomUUID();
                WebhookOutbox.enqueue(c, tenant, event, type, WebhookOutbox.payload(event, type,
                        java.time.Instant.now(), alice.slug(), WebhookOutbox.data()));
            }
        }
        assertThat(db.query("SELECT event_type FROM webhook_deliveries WHERE tenant_id = ?", tenant).stream()
                .map(r -> r.get("event_type")).toList(), contains("invoice.finalized"));
        Api.as(alice.token()).post(path(alice) + "/test").then().statusCode(202);
        assertThat(db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND event_type = "
                + "'webhook.test'", tenant), equalTo(1L));

        // through a feature: an expiring key is told in the audit log, not by the webhook that did not choose it
        String key = Api.as(alice.token()).body(Map.of("name", "batch", "expires_at",
                java.time.Instant.now().plus(java.time.Duration.ofDays(30)).toString()))
                .post("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(201).extract().path("id");
        db.update("UPDATE api_keys SET expires_at = now() + interval '1 day' WHERE id = ?::uuid", key);
        expiryNotices.announceDue();
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = "
                + "'api_key.expiry_notified'", tenant), equalTo(1L));
        assertThat(db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND event_type = ?",
                tenant, ApiKeyExpiryNotices.EXPIRING_EVENT), equalTo(0L));
    }
}
