package io.aiaas.platform.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.engine.TensorType;
import io.aiaas.platform.model.service.CallableModel;
import io.aiaas.platform.model.service.ModelCatalog;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ModelCatalogTest {

    @Inject
    ModelCatalog catalog;

    @Inject
    TestDb db;

    UUID tenantId(String slug) {
        return (UUID) db.query("SELECT id FROM tenants WHERE slug = ?", slug).get(0).get("id");
    }

    @Test
    void resolvesLatestOrGivenReadyVersionOfVisibleModels() throws Exception {
        String alice = Api.createTenant();
        String bob = Api.createTenant();
        String pub = ModelResourceTest.createModel("public", null);
        String bobs = ModelResourceTest.createModel("private", bob);
        ModelResourceTest.upload(pub, ModelResourceTest.LINEAR).statusCode(201);
        ModelResourceTest.upload(pub, ModelResourceTest.LINEAR).statusCode(201);
        ModelResourceTest.upload(bobs, ModelResourceTest.LINEAR).statusCode(201);

        CallableModel latest = catalog.resolveForTenant(tenantId(alice), pub, null).orElseThrow();
        assertEquals(2, latest.version());
        assertEquals(pub, latest.modelName());
        assertEquals(TensorType.FP32, latest.signature().inputs().get(0).datatype());
        assertArrayEquals(new long[] {-1, 3}, latest.signature().inputs().get(0).shape());
        assertArrayEquals(ModelResourceTest.LINEAR, Files.readAllBytes(catalog.artifact(latest.versionId())));
        assertEquals(1, catalog.resolveForTenant(tenantId(alice), pub, 1).orElseThrow().version());
        assertTrue(catalog.resolveForTenant(tenantId(alice), pub, 3).isEmpty());
        assertTrue(catalog.resolveForTenant(tenantId(alice), bobs, null).isEmpty(), "another tenant's private model");
        assertTrue(catalog.resolveForTenant(tenantId(bob), bobs, null).isPresent());
        assertTrue(catalog.resolveForTenant(tenantId(alice), Api.unique("none"), null).isEmpty());

        Api.as(Tokens.admin()).delete("/admin/v1/models/" + pub + "/versions/2").then().statusCode(204);
        assertEquals(1, catalog.resolveForTenant(tenantId(alice), pub, null).orElseThrow().version());
        assertTrue(catalog.resolveForTenant(tenantId(alice), pub, 2).isEmpty(), "retired");
        assertEquals(2, catalog.findVersion(pub, 2).orElseThrow().version());
    }
}
