package io.aiaas.platform.webhook;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.service.WebhookDispatcher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Rotating a webhook's secret with an overlap: while it runs every delivery is signed with the new secret and the
 * one replaced, so a receiver that still knows only the old one accepts it; after it (or with none) only the new
 * secret signs. A new URL or removing the webhook ends an overlap; one that has ended is forgotten.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookSecretRotationTest {

    @Inject
    TestDb db;

    @Inject
    WebhookDispatcher dispatcher;

    private static String path(TenantUser user) {
        return "/api/v1/tenants/" + user.slug() + "/webhook";
    }

    private static String configure(TenantUser user, String url) {
        return Api.as(user.token()).body(Map.of("url", url)).put(path(user)).then().statusCode(200)
                .body("previous_secret_expires_at", nullValue()).extract().path("secret");
    }

    private static Response rotate(TenantUser user, Object body) {
        return Api.as(user.token()).body(body).post(path(user) + "/secret");
    }

    /** Sends a test event and answers its signature header as the receiver got it. */
    private String testSignature(TenantUser user, WebhookReceiver receiver) {
        int before = receiver.received().size();
        String delivery = Api.as(user.token()).post(path(user) + "/test").then().statusCode(202).extract()
                .path("delivery_id");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "DELIVERED".equals(
                db.value("SELECT state FROM webhook_deliveries WHERE id = ?", UUID.fromString(delivery))));
        WebhookReceiver.Received got = receiver.received().get(before);
        lastBody = got.body();
        return got.header("x-aiaas-signature");
    }

    private String lastBody;

    private boolean signedWith(String secret, String signature) {
        return WebhookReceiver.verify(secret, signature, lastBody, 300);
    }

    private static int v1Count(String signature) {
        return signature.split(",v1=", -1).length - 1;
    }

    @Test
    void duringTheOverlapBothSecretsSignAndAfterItOnlyTheNewOne() {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            String first = configure(alice, receiver.url());
            Instant asked = Instant.now();
            Response rotated = rotate(alice, Map.of("overlap_seconds", 3600));
            rotated.then().statusCode(200).body("url", equalTo(receiver.url())).body("events", nullValue())
                    .body("secret", not(equalTo(first))).body("previous_secret_expires_at", notNullValue());
            String second = rotated.jsonPath().getString("secret");
            assertTrue(second.matches("whsec_[A-Za-z0-9_-]{43}"), second);
            Instant until = Instant.parse(rotated.jsonPath().getString("previous_secret_expires_at"));
            assertTrue(!until.isBefore(asked.plusSeconds(3599)) && !until.isAfter(Instant.now().plusSeconds(3601)),
                    until.toString());
            Api.as(alice.token()).get(path(alice)).then().statusCode(200)
                    .body("previous_secret_expires_at", equalTo(rotated.jsonPath().getString(
                            "previous_secret_expires_at")))
                    .body("$", not(org.hamcrest.Matchers.hasKey("secret")));

            String signature = testSignature(alice, receiver);
            assertEquals(2, v1Count(signature), signature);
            assertTrue(signedWith(second, signature), "the new secret signs");
            assertTrue(signedWith(first, signature), "the previous secret still signs during the overlap");
            // the new secret's v1 comes first: a receiver that reads only the first one has switched already
            assertTrue(signedWith(second, signature.substring(0, signature.lastIndexOf(",v1="))), signature);

            // a rotation during the overlap drops the oldest secret: two at most
            String third = rotate(alice, Map.of("overlap_seconds", 60)).then().statusCode(200).extract()
                    .path("secret");
            signature = testSignature(alice, receiver);
            assertEquals(2, v1Count(signature), signature);
            assertTrue(signedWith(third, signature) && signedWith(second, signature), signature);
            assertFalse(signedWith(first, signature), "the first secret's overlap ended with the second rotation");

            // the overlap ends: the claim ignores the previous secret at once, the sweep forgets it
            db.update("UPDATE tenants SET webhook_previous_secret_until = now() - interval '1 second' WHERE slug = ?",
                    alice.slug());
            Api.as(alice.token()).get(path(alice)).then().statusCode(200)
                    .body("previous_secret_expires_at", nullValue());
            signature = testSignature(alice, receiver);
            assertEquals(1, v1Count(signature), signature);
            assertTrue(signedWith(third, signature));
            assertFalse(signedWith(second, signature));
            // the sweep forgets it (set again just before: every replica's own sweep may have run meanwhile)
            db.update("UPDATE tenants SET webhook_previous_secret = ?, webhook_previous_secret_until = now()"
                    + " - interval '1 second' WHERE slug = ?", second, alice.slug());
            assertTrue(dispatcher.forgetEndedOverlaps() >= 1);
            Map<String, Object> row = db.queryOne("SELECT webhook_previous_secret, webhook_previous_secret_until"
                    + " FROM tenants WHERE slug = ?", alice.slug());
            assertNull(row.get("webhook_previous_secret"));
            assertNull(row.get("webhook_previous_secret_until"));
        }
    }

    @Test
    void withoutAnOverlapTheOldSecretStopsAtOnceAndTheDefaultIsADay() {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            String first = configure(alice, receiver.url());
            String second = rotate(alice, Map.of("overlap_seconds", 0)).then().statusCode(200)
                    .body("previous_secret_expires_at", nullValue()).extract().path("secret");
            assertNotEquals(first, second);
            String signature = testSignature(alice, receiver);
            assertEquals(1, v1Count(signature), signature);
            assertTrue(signedWith(second, signature));
            assertFalse(signedWith(first, signature), "no overlap: the replaced secret no longer signs");
            assertNull(db.value("SELECT webhook_previous_secret FROM tenants WHERE slug = ?", alice.slug()));

            // {} and no body at all take the default overlap: a day
            for (Object body : new Object[] {"{}", ""}) {
                Instant until = Instant.parse(rotate(alice, body).then().statusCode(200).extract()
                        .path("previous_secret_expires_at"));
                assertTrue(Duration.between(Instant.now(), until).toMinutes() >= 24 * 60 - 1, until.toString());
            }
            Map<String, Object> audit = db.queryOne("SELECT details::text AS details FROM audit_log WHERE tenant_id"
                    + " = (SELECT id FROM tenants WHERE slug = ?) AND action = 'webhook.secret_rotated'"
                    + " ORDER BY id LIMIT 1", alice.slug());
            assertThat((String) audit.get("details"), containsString("\"overlap_seconds\": 0"));
            assertEquals(3L, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = (SELECT id FROM tenants"
                    + " WHERE slug = ?) AND action = 'webhook.secret_rotated'", alice.slug()));
            for (Map<String, Object> row : db.query("SELECT details::text AS details FROM audit_log WHERE action ="
                    + " 'webhook.secret_rotated' AND tenant_id = (SELECT id FROM tenants WHERE slug = ?)",
                    alice.slug())) {
                assertFalse(((String) row.get("details")).contains("whsec_"), "the audit log keeps no secret");
            }
        }
    }

    @Test
    void aNewUrlOrRemovingTheWebhookEndsTheOverlap() {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            String first = configure(alice, receiver.url());
            rotate(alice, Map.of("overlap_seconds", 600)).then().statusCode(200);
            // the same URL again is a new configuration: a new secret, the overlap ended (documented)
            String fresh = configure(alice, receiver.url());
            Api.as(alice.token()).get(path(alice)).then().body("previous_secret_expires_at", nullValue());
            String signature = testSignature(alice, receiver);
            assertEquals(1, v1Count(signature), signature);
            assertTrue(signedWith(fresh, signature));
            assertFalse(signedWith(first, signature));

            rotate(alice, Map.of("overlap_seconds", 600)).then().statusCode(200);
            Api.as(alice.token()).delete(path(alice)).then().statusCode(204);
            Map<String, Object> row = db.queryOne("SELECT webhook_previous_secret, webhook_previous_secret_until"
                    + " FROM tenants WHERE slug = ?", alice.slug());
            assertNull(row.get("webhook_previous_secret"));
            assertNull(row.get("webhook_previous_secret_until"));
        }
    }

    @Test
    void badOverlapsNoWebhookAndOtherCallersAreRefusedChangingNothing() {
        TenantUser alice = Api.tenantWithAdmin();
        String secret = configure(alice, "https://hooks.example.test/h");
        rotate(alice, Map.of("overlap_seconds", -1)).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("violations[0].field", equalTo("overlap_seconds"))
                .body("violations[0].message", containsString("0 to 604800"));
        rotate(alice, Map.of("overlap_seconds", 604801)).then().statusCode(400)
                .body("code", equalTo("validation_failed"));
        rotate(alice, "{\"overlap_seconds\": \"a day\"}").then().statusCode(400).body("code", equalTo("invalid_json"));
        rotate(alice, "{\"overlap_seconds\": 1e99}").then().statusCode(400);
        rotate(alice, "[1]").then().statusCode(400).body("code", equalTo("invalid_json"));
        Api.as(Api.userOf(alice.slug(), "member").token()).body("{}").post(path(alice) + "/secret").then()
                .statusCode(403);
        TenantUser bob = Api.tenantWithAdmin();
        Api.as(bob.token()).body("{}").post(path(alice) + "/secret").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        rotate(bob, "{}").then().statusCode(404).body("code", equalTo("webhook_not_found"));
        assertEquals(secret, db.value("SELECT webhook_secret FROM tenants WHERE slug = ?", alice.slug()));
        assertNull(db.value("SELECT webhook_previous_secret FROM tenants WHERE slug = ?", alice.slug()));
        assertEquals(0L, db.count("SELECT count(*) FROM audit_log WHERE action = 'webhook.secret_rotated'"
                + " AND tenant_id IN (SELECT id FROM tenants WHERE slug IN (?, ?))", alice.slug(), bob.slug()));
    }
}
