package io.aiaas.platform.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.aiaas.platform.apikey.persistence.ApiKeyEntity;
import io.aiaas.platform.apikey.persistence.ApiKeyRepository;
import io.aiaas.platform.testsupport.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A key's row has writers besides its settings: the gateway's touch ({@code last_used_at}, {@code last_used_from},
 * plain SQL once a minute, off the request path) and the expiry notices. A change made through the entity writes only
 * the columns it changed, so none of those is put back to what the change read; a revocation takes the row's lock,
 * so it waits for a change in flight instead of writing over it; and a key asked for while its tenant closes is
 * refused (the close is seen under the tenant's row lock) rather than left unrevoked.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyRowWritesTest extends KeyLifecycleTestBase {

    private static final Instant TOUCHED_AT = Instant.parse("2026-03-04T05:06:07Z");

    @Inject
    ApiKeyRepository repository;

    @Test
    void aChangeThroughTheEntityKeepsTheLastUseTheGatewayRecordedMeanwhile() {
        UUID id = UUID.fromString(create("touched", null).getString("id"));
        QuarkusTransaction.requiringNew().run(() -> {
            ApiKeyEntity key = repository.findById(id);
            assertEquals(null, key.lastUsedAt);
            // the touch commits on a connection of its own after the change read the row
            CompletableFuture.runAsync(() -> db.update(
                    "UPDATE api_keys SET last_used_at = ?, last_used_from = '203.0.113.7' WHERE id = ?",
                    Timestamp.from(TOUCHED_AT), id)).join();
            key.name = "renamed";
        });
        Map<String, Object> row = db.queryOne("SELECT name, last_used_at, last_used_from FROM api_keys WHERE id = ?",
                id);
        assertEquals("renamed", row.get("name"));
        assertEquals(TOUCHED_AT, ((Timestamp) row.get("last_used_at")).toInstant(), "the touch was written over");
        assertEquals("203.0.113.7", row.get("last_used_from"));
    }

    @Test
    void aRevocationWaitsForAChangeInFlightAndKeepsIt() {
        UUID id = UUID.fromString(create("before", null).getString("id"));
        int revoked = db.whileHolding(() -> Api.as(alice.token()).delete(keys() + "/" + id).then().extract()
                .statusCode(), "UPDATE api_keys SET name = 'during', last_used_at = ? WHERE id = ?",
                Timestamp.from(TOUCHED_AT), id);
        assertEquals(204, revoked);
        Map<String, Object> row = db.queryOne(
                "SELECT name, last_used_at, revoked_at FROM api_keys WHERE id = ?", id);
        assertEquals("during", row.get("name"), "the revocation wrote the name it read over the change");
        assertEquals(TOUCHED_AT, ((Timestamp) row.get("last_used_at")).toInstant());
        assertNotNull(row.get("revoked_at"));
        Instant first = ((Timestamp) row.get("revoked_at")).toInstant();
        // revoking again keeps the first time
        Api.as(alice.token()).delete(keys() + "/" + id).then().statusCode(204);
        assertEquals(first.truncatedTo(ChronoUnit.MICROS), ((Timestamp) db.value(
                "SELECT revoked_at FROM api_keys WHERE id = ?", id)).toInstant());
    }

    @Test
    void aKeyAskedForWhileItsTenantClosesIsRefusedNotLeftUnrevoked() {
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", alice.slug());
        Response late = db.whileHolding(() -> Api.as(alice.token()).body(Map.of("name", "late")).post(keys()),
                "UPDATE tenants SET status = 'CLOSED', closed_at = now() WHERE id = ?", tenantId);
        assertEquals(409, late.statusCode(), late.asString());
        assertEquals("tenant_closed", late.path("code"));
        assertEquals(0, db.count("SELECT count(*) FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL",
                tenantId));
    }
}
