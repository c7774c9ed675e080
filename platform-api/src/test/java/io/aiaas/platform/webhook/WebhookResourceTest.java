package io.aiaas.platform.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The tenant API of webhooks: secret shown once, tenant admins only, hostile URLs refused, test events delivered. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookResourceTest {

    @Inject
    TestDb db;

    static String base(String slug) {
        return "/api/v1/tenants/" + slug + "/webhook";
    }

    UUID tenantId(String slug) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
    }

    Map<String, Object> stored(String slug) {
        return db.queryOne("SELECT webhook_url, webhook_secret, webhook_created_at FROM tenants WHERE slug = ?", slug);
    }

    long audits(String slug, String action) {
        return db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = ?", tenantId(slug), action);
    }

    @Test
    void theSecretIsShownOnceOnConfigurationAndNeverByGet() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        String url = "https://hooks.example.test/aiaas?tenant=1";
        Response put = Api.as(admin.token()).body(Map.of("url", url)).put(base(admin.slug()));
        put.then().statusCode(200).body("url", equalTo(url)).body("created_at", notNullValue());
        String secret = put.jsonPath().getString("secret");
        assertTrue(secret.matches("whsec_[A-Za-z0-9_-]{43}"), secret);
        assertEquals(secret, stored(admin.slug()).get("webhook_secret"));
        assertEquals(url, stored(admin.slug()).get("webhook_url"));

        Response get = Api.as(admin.token()).get(base(admin.slug()));
        get.then().statusCode(200).body("url", equalTo(url)).body("created_at", notNullValue())
                .body("$", not(hasKey("secret")));
        assertFalse(get.asString().contains(secret));
        assertEquals(1, audits(admin.slug(), "webhook.configured"));
        String details = (String) db.value("SELECT details::text FROM audit_log WHERE tenant_id = ?"
                + " AND action = 'webhook.configured'", tenantId(admin.slug()));
        assertTrue(details.contains(url));
        assertFalse(details.contains(secret), "the audit log must not keep the secret");
    }

    @Test
    void configuringAgainReplacesTheUrlAndRotatesTheSecret() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        String first = Api.as(admin.token()).body(Map.of("url", "https://a.example.test/h")).put(base(admin.slug()))
                .then().statusCode(200).extract().path("secret");
        String second = Api.as(admin.token()).body(Map.of("url", "https://b.example.test/h")).put(base(admin.slug()))
                .then().statusCode(200).extract().path("secret");
        assertNotEquals(first, second);
        assertEquals(second, stored(admin.slug()).get("webhook_secret"));
        assertEquals("https://b.example.test/h", stored(admin.slug()).get("webhook_url"));
        assertEquals(1, audits(admin.slug(), "webhook.configured"));
        assertEquals(1, audits(admin.slug(), "webhook.replaced"));
    }

    @Test
    void aTestEventIsQueuedDeliveredSignedAndListed() {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            Api.TenantUser admin = Api.tenantWithAdmin();
            String secret = Api.as(admin.token()).body(Map.of("url", receiver.url())).put(base(admin.slug())).then()
                    .statusCode(200).extract().path("secret");
            Response queued = Api.as(admin.token()).post(base(admin.slug()) + "/test");
            queued.then().statusCode(202).body("event_type", equalTo("webhook.test"));
            String deliveryId = queued.jsonPath().getString("delivery_id");
            String eventId = queued.jsonPath().getString("event_id");
            assertEquals(1, audits(admin.slug(), "webhook.test_queued"));

            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "DELIVERED".equals(
                    db.value("SELECT state FROM webhook_deliveries WHERE id = ?", UUID.fromString(deliveryId))));
            assertEquals(1, receiver.received().size());
            WebhookReceiver.Received got = receiver.received().get(0);
            assertTrue(WebhookReceiver.verify(secret, got.header("x-aiaas-signature"), got.body(), 300));
            assertEquals(eventId, got.header("x-aiaas-event-id"));
            // the body is the payload exactly as built: compact, keys in envelope order
            assertTrue(got.body().startsWith("{\"id\":\"" + eventId + "\",\"type\":\"webhook.test\",\"created\":"),
                    got.body());
            assertTrue(got.body().contains(",\"tenant\":\"" + admin.slug() + "\",\"data\":{"), got.body());

            Api.as(admin.token()).get(base(admin.slug()) + "/deliveries").then().statusCode(200)
                    .body("size()", equalTo(1))
                    .body("[0].id", equalTo(deliveryId)).body("[0].event_id", equalTo(eventId))
                    .body("[0].event_type", equalTo("webhook.test")).body("[0].state", equalTo("DELIVERED"))
                    .body("[0].attempts", equalTo(1)).body("[0].last_status", equalTo(200))
                    .body("[0].delivered_at", notNullValue());
        }
    }

    @Test
    void removingTheWebhookForgetsUrlAndSecretAndTestEventsAreThenRefused() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        Api.as(admin.token()).body(Map.of("url", "https://gone.example.test/h")).put(base(admin.slug())).then()
                .statusCode(200);
        Api.as(admin.token()).delete(base(admin.slug())).then().statusCode(204);
        Map<String, Object> row = stored(admin.slug());
        assertNull(row.get("webhook_url"));
        assertNull(row.get("webhook_secret"));
        assertNull(row.get("webhook_created_at"));
        Api.as(admin.token()).get(base(admin.slug())).then().statusCode(404).body("code", equalTo("webhook_not_found"));
        Api.as(admin.token()).post(base(admin.slug()) + "/test").then().statusCode(409)
                .body("code", equalTo("webhook_not_configured"));
        assertEquals(0, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenantId(admin.slug())));
        // removing again changes nothing and audits nothing
        Api.as(admin.token()).delete(base(admin.slug())).then().statusCode(204);
        assertEquals(1, audits(admin.slug(), "webhook.removed"));
    }

    @Test
    void membersAreForbiddenAndOutsidersDoNotLearnTheTenantExists() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        String slug = admin.slug();
        String url = "https://kept.example.test/h";
        String secret = Api.as(admin.token()).body(Map.of("url", url)).put(base(slug)).then().statusCode(200)
                .extract().path("secret");
        String member = Api.userOf(slug, "member").token();
        String outsider = Api.tenantWithAdmin().token();
        List<Function<String, Response>> calls = List.of(
                token -> Api.as(token).body(Map.of("url", "https://evil.example.test/h")).put(base(slug)),
                token -> Api.as(token).get(base(slug)),
                token -> Api.as(token).delete(base(slug)),
                token -> Api.as(token).post(base(slug) + "/test"),
                token -> Api.as(token).get(base(slug) + "/deliveries"));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Response asMember = calls.get(i).apply(member);
            if (asMember.statusCode() != 403 || !"forbidden".equals(asMember.jsonPath().getString("code"))) {
                failures.add("call " + i + " as member: " + asMember.statusCode() + " " + asMember.asString());
            }
            Response asOutsider = calls.get(i).apply(outsider);
            if (asOutsider.statusCode() != 404
                    || !"tenant_not_found".equals(asOutsider.jsonPath().getString("code"))) {
                failures.add("call " + i + " as outsider: " + asOutsider.statusCode() + " " + asOutsider.asString());
            }
            assertFalse(asMember.asString().contains(secret) || asOutsider.asString().contains(secret));
        }
        assertEquals(List.of(), failures);
        // nothing changed: same URL and secret, nothing queued
        assertEquals(url, stored(slug).get("webhook_url"));
        assertEquals(secret, stored(slug).get("webhook_secret"));
        assertEquals(0, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenantId(slug)));
        // a platform admin may do what a tenant admin may
        Api.as(Tokens.admin()).get(base(slug)).then().statusCode(200).body("url", equalTo(url));
    }

    @Test
    void hostileUrlsAreRefusedWith400AndNothingIsStored() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        List<String> hostile = List.of("ftp://files.example.test/x", "file:///etc/passwd", "javascript:alert(1)",
                "data:text/plain,hi", "gopher://old.example.test/", "hooks.example.test/no-scheme", "http://",
                "http:///only-path", "https://user:password@hooks.example.test/", "https://hooks.example.test/#frag",
                "http://spaces in.example.test/", "http://[::1", "mailto:ops@example.test");
        for (String url : hostile) {
            Api.as(admin.token()).body(Map.of("url", url)).put(base(admin.slug())).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_webhook_url"),
                            "$", not(hasKey("secret")));
        }
        for (String url : new String[] {"", "   ", "https://hooks.example.test/" + "x".repeat(1974)}) {
            Api.as(admin.token()).body(Map.of("url", url)).put(base(admin.slug())).then().statusCode(400)
                    .body("code", equalTo("validation_failed"));
        }
        Api.as(admin.token()).body(Map.of()).put(base(admin.slug())).then().statusCode(400);
        assertNull(stored(admin.slug()).get("webhook_url"));
        assertEquals(0, audits(admin.slug(), "webhook.configured"));
        // exactly 2000 characters is allowed
        String longest = "https://hooks.example.test/" + "x".repeat(2000 - 27);
        assertEquals(2000, longest.length());
        Api.as(admin.token()).body(Map.of("url", longest)).put(base(admin.slug())).then().statusCode(200);
    }

    @Test
    void theDeliveriesLimitIsValidated() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        for (String limit : new String[] {"0", "201", "-1", "abc", "1e3"}) {
            Api.as(admin.token()).queryParam("limit", limit).get(base(admin.slug()) + "/deliveries").then()
                    .statusCode(400).body("code", equalTo("invalid_limit"));
        }
        Api.as(admin.token()).queryParam("limit", "200").get(base(admin.slug()) + "/deliveries").then()
                .statusCode(200).body("size()", equalTo(0));
    }
}
