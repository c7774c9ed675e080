package io.aiaas.platform.apikey;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.apikey.service.ApiKeyExpiryNotices;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A tenant hears once, a week ahead (the default {@code aiaas.api-keys.expiry-notice}), that one of its keys is about
 * to expire: by webhook and in its audit log; never for an expiry it chose inside that week (a key issued to expire
 * soon, the old key of a rotation), never for a revoked key, and once only however many replicas look.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyExpiryNoticeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDb db;

    @Inject
    ApiKeyExpiryNotices notices;

    @Test
    void aKeyIsAnnouncedOnceWhenItsExpiryComesWithinTheWeek() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            UUID tenant = hook(alice, receiver.url());
            String keyId = issue(alice, Instant.now().plus(30, ChronoUnit.DAYS));
            notices.announceDue();
            assertThat(deliveries(tenant), hasSize(0));

            // 27 days later (the expiry moved instead of the clock)
            Instant expiresAt = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            db.update("UPDATE api_keys SET expires_at = ? WHERE id = ?::uuid", java.sql.Timestamp.from(expiresAt),
                    keyId);
            notices.announceDue();
            notices.announceDue();
            assertThat(deliveries(tenant), hasSize(1));
            assertThat(db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = "
                    + "'api_key.expiry_notified' AND target_id = ?", tenant, keyId), equalTo(1L));

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.received().isEmpty());
            JsonNode event = JSON.readTree(receiver.received().get(0).body());
            assertThat(event.path("type").asText(), equalTo(ApiKeyExpiryNotices.EXPIRING_EVENT));
            assertThat(event.path("tenant").asText(), equalTo(alice.slug()));
            JsonNode data = event.path("data");
            assertThat(data.path("key_id").asText(), equalTo(keyId));
            assertThat(data.path("name").asText(), equalTo("nightly-batch"));
            assertThat(Instant.parse(data.path("expires_at").asText()), equalTo(expiresAt));
            assertThat(data.path("url").asText(), equalTo("/api/v1/tenants/" + alice.slug() + "/keys/" + keyId));
        }
    }

    @Test
    void expiriesTheTenantChoseInsideTheWeekAndRevokedKeysAreNotAnnounced() {
        TenantUser alice = Api.tenantWithAdmin();
        UUID tenant = hook(alice, "https://hooks.example.test/aiaas");
        // issued to expire tomorrow: whoever issued it knows
        String shortLived = issue(alice, Instant.now().plus(1, ChronoUnit.DAYS));
        // rotated with an hour's overlap: the old key ends in an hour, by the tenant's choice
        String rotated = issue(alice, null);
        Api.as(alice.token()).body(Map.of("overlap_seconds", 3600))
                .post("/api/v1/tenants/" + alice.slug() + "/keys/" + rotated + "/rotate").then().statusCode(201);
        // revoked, then its expiry comes close
        String revoked = issue(alice, Instant.now().plus(30, ChronoUnit.DAYS));
        Api.as(alice.token()).delete("/api/v1/tenants/" + alice.slug() + "/keys/" + revoked).then().statusCode(204);
        db.update("UPDATE api_keys SET expires_at = now() + interval '1 day' WHERE id = ?::uuid", revoked);

        notices.announceDue();
        assertThat(deliveries(tenant), hasSize(0));
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = "
                + "'api_key.expiry_notified'", tenant), equalTo(0L));
        assertThat(db.value("SELECT expiry_notice_at FROM api_keys WHERE id = ?::uuid", shortLived), notNullValue());
    }

    @Test
    void withoutAWebhookTheNoticeIsAuditedAndNotSentLater() {
        TenantUser alice = Api.tenantWithAdmin();
        UUID tenant = tenantId(alice);
        String keyId = issue(alice, Instant.now().plus(30, ChronoUnit.DAYS));
        db.update("UPDATE api_keys SET expires_at = now() + interval '2 days' WHERE id = ?::uuid", keyId);
        notices.announceDue();
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = "
                + "'api_key.expiry_notified'", tenant), equalTo(1L));
        // a webhook set afterwards does not get a stale notice
        hook(alice, "https://hooks.example.test/aiaas");
        notices.announceDue();
        assertThat(deliveries(tenant), hasSize(0));
    }

    @Test
    void replicasLookingAtOnceTellEachKeyOnce() throws Exception {
        TenantUser alice = Api.tenantWithAdmin();
        UUID tenant = hook(alice, "https://hooks.example.test/aiaas");
        TenantUser bob = Api.tenantWithAdmin();
        UUID other = hook(bob, "https://hooks.example.test/aiaas");
        issue(bob, Instant.now().plus(30, ChronoUnit.DAYS)); // bob's key is far from its expiry
        for (int i = 0; i < 20; i++) {
            issue(alice, Instant.now().plus(30, ChronoUnit.DAYS));
        }
        db.update("UPDATE api_keys SET expires_at = now() + interval '1 day' WHERE tenant_id = ?", tenant);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit((Callable<Integer>) notices::announceDue));
            }
            for (Future<Integer> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(deliveries(tenant), hasSize(20));
        assertThat(db.count("SELECT count(DISTINCT payload->'data'->>'key_id') FROM webhook_deliveries "
                + "WHERE tenant_id = ?", tenant), equalTo(20L));
        assertThat(deliveries(other), hasSize(0));
    }

    private UUID tenantId(TenantUser user) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", user.slug());
    }

    private UUID hook(TenantUser user, String url) {
        UUID id = tenantId(user);
        db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", url,
                "whsec_" + UUID.randomUUID(), id);
        return id;
    }

    /** Issues a key named nightly-batch through the API; answers its id. */
    private static String issue(TenantUser user, Instant expiresAt) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "nightly-batch"));
        if (expiresAt != null) {
            body.put("expires_at", expiresAt.toString());
        }
        return Api.as(user.token()).body(body).post("/api/v1/tenants/" + user.slug() + "/keys").then()
                .statusCode(201).extract().path("id");
    }

    private List<Map<String, Object>> deliveries(UUID tenant) {
        return db.query("SELECT payload::text AS payload FROM webhook_deliveries WHERE tenant_id = ? AND "
                + "event_type = ?", tenant, ApiKeyExpiryNotices.EXPIRING_EVENT);
    }
}
