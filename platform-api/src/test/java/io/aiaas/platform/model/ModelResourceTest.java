package io.aiaas.platform.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.onnx.builder.IrisDemo;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.platform.model.service.ModelStorage;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ModelResourceTest {

    static final byte[] LINEAR = TestModels.linear().onnx();

    @Inject
    TestDb db;

    @Inject
    ModelStorage storage;

    @Inject
    Fixtures fixtures;

    static String createModel(String visibility, String owner) {
        String name = Api.unique("m");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "visibility", visibility,
                "description", "test model"));
        if (owner != null) {
            body.put("owner_tenant", owner);
        }
        Api.as(Tokens.admin()).body(body).post("/admin/v1/models").then().statusCode(201)
                .header("Location", endsWith("/admin/v1/models/" + name));
        return name;
    }

    static ValidatableResponse upload(String name, byte[] onnx) {
        return given().header("Authorization", Tokens.bearer(Tokens.admin())).contentType("application/octet-stream")
                .body(onnx).post("/admin/v1/models/" + name + "/versions").then();
    }

    long storedFiles() throws IOException {
        if (!Files.exists(storage.root())) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(storage.root())) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    long versionRows(String name) {
        return db.count("SELECT count(*) FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ?",
                name);
    }

    @Test
    void validUploadBecomesReadyWithSignatureAndHash() throws Exception {
        String name = createModel("public", null);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(LINEAR));
        upload(name, LINEAR).statusCode(201)
                .header("Location", endsWith("/admin/v1/models/" + name + "/versions/1"))
                .body("version", equalTo(1)).body("status", equalTo("ready"))
                .body("sha256", equalTo(sha)).body("size_bytes", equalTo(LINEAR.length))
                .body("signature.inputs[0].name", equalTo(TestModels.Linear.INPUT))
                .body("signature.inputs[0].datatype", equalTo("FP32"))
                .body("signature.inputs[0].shape", equalTo(List.of(-1, 3)))
                .body("signature.outputs[0].name", equalTo(TestModels.Linear.OUTPUT));
        Map<String, Object> row = db.query("SELECT v.status, v.sha256, v.storage_path, v.signature::text AS sig"
                + " FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ?", name).get(0);
        assertEquals("READY", row.get("status"));
        assertEquals(sha, row.get("sha256"));
        assertTrue(((String) row.get("sig")).contains("\"datatype\": \"FP32\""), (String) row.get("sig"));
        assertTrue(Files.isRegularFile(storage.resolve((String) row.get("storage_path"))));
        upload(name, LINEAR).statusCode(201).body("version", equalTo(2));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'model_version.created'"
                + " AND target_id = ?", name + "/2"));
    }

    @Test
    void aScikitLearnClassifierIsAcceptedWithItsZipMapOutputNamedAsNotServed() {
        String name = createModel("public", null);
        upload(name, TestModels.zipMapClassifier()).statusCode(201).body("status", equalTo("ready"))
                .body("signature.inputs.name", equalTo(List.of("features")))
                .body("signature.outputs.name", equalTo(List.of("output_label")))
                .body("signature.outputs[0].datatype", equalTo("BYTES"))
                .body("signature.omitted_outputs.name", equalTo(List.of("output_probability")))
                .body("signature.omitted_outputs[0].kind", equalTo("a sequence of maps from string to float"))
                .body("warmup.status", equalTo("zeros"));
        Api.TenantUser alice = Api.tenantWithMember();
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/models/" + name).then().statusCode(200)
                .body("versions[0].signature.omitted_outputs[0].name", equalTo("output_probability"));
        // a model whose outputs are all tensors says nothing of omitted outputs
        String plain = createModel("public", null);
        upload(plain, LINEAR).statusCode(201).body("signature", not(hasKey("omitted_outputs")));
    }

    @Test
    void irisDemoModelIsAccepted() {
        String name = createModel("public", null);
        upload(name, IrisDemo.train().onnx()).statusCode(201)
                .body("signature.inputs[0].name", equalTo(IrisDemo.INPUT))
                .body("signature.inputs[0].shape", equalTo(List.of(-1, IrisDemo.FEATURES)))
                .body("signature.outputs.name", hasItem(IrisDemo.PROBABILITIES));
    }

    @Test
    void garbageIs400InvalidModelAndLeavesNothing() throws Exception {
        String name = createModel("public", null);
        long before = storedFiles();
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        upload(name, garbage).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_model")).body("detail", containsString("ONNX"))
                .body("detail", org.hamcrest.Matchers.not(containsString(storage.root().toString())));
        upload(name, new byte[0]).statusCode(400).body("code", equalTo("invalid_model"));
        assertEquals(0, versionRows(name));
        assertEquals(before, storedFiles());
    }

    @Test
    void externalDataModelIs400AndLeavesNothing() throws Exception {
        String name = createModel("public", null);
        long before = storedFiles();
        upload(name, TestModels.withExternalData()).statusCode(400).body("code", equalTo("invalid_model"))
                .body("detail", containsString("external"));
        assertEquals(0, versionRows(name));
        assertEquals(before, storedFiles());
    }

    @Test
    void uploadOverTheCapIs413AndLeavesNothing() throws Exception {
        String name = createModel("public", null);
        long before = storedFiles();
        byte[] big = new byte[300 * 1024]; // the test profile caps uploads at 256 KiB
        upload(name, big).statusCode(413).body("code", equalTo("payload_too_large"));
        // without Content-Length the cap is enforced while streaming
        given().header("Authorization", Tokens.bearer(Tokens.admin())).contentType("application/octet-stream")
                .body(new ByteArrayInputStream(big)).post("/admin/v1/models/" + name + "/versions").then()
                .statusCode(413).body("code", equalTo("payload_too_large"));
        assertEquals(0, versionRows(name));
        assertEquals(before, storedFiles());
    }

    @Test
    void concurrentUploadsGetDistinctVersionNumbers() {
        String name = createModel("public", null);
        List<CompletableFuture<Integer>> uploads = Stream.generate(() -> CompletableFuture.supplyAsync(
                () -> upload(name, LINEAR).statusCode(201).extract().<Integer>path("version"))).limit(3).toList();
        Set<Integer> versions = new TreeSet<>(uploads.stream().map(CompletableFuture::join).toList());
        assertEquals(Set.of(1, 2, 3), versions);
    }

    @Test
    void retiredVersionIsShownRetiredAndNoLongerCallable() {
        String name = createModel("public", null);
        upload(name, LINEAR).statusCode(201);
        upload(name, LINEAR).statusCode(201);
        Api.as(Tokens.admin()).delete("/admin/v1/models/" + name + "/versions/2").then().statusCode(204);
        Api.as(Tokens.admin()).delete("/admin/v1/models/" + name + "/versions/2").then().statusCode(204);
        Api.as(Tokens.admin()).delete("/admin/v1/models/" + name + "/versions/9").then().statusCode(404)
                .body("code", equalTo("version_not_found"));
        Api.as(Tokens.admin()).get("/admin/v1/models/" + name).then().statusCode(200)
                .body("versions.find { it.version == 2 }.status", equalTo("retired"))
                .body("versions.find { it.version == 1 }.status", equalTo("ready"))
                .body("versions.find { it.version == 1 }.retired_at", nullValue());
        assertEquals("RETIRED", db.query("SELECT v.status FROM model_versions v JOIN models m ON m.id = v.model_id"
                + " WHERE m.name = ? AND v.version = 2", name).get(0).get("status"));
        Api.TenantUser alice = Api.tenantWithMember();
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/models").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.versions.version", equalTo(List.of(1)))
                .body("find { it.name == '" + name + "' }.latest_version", equalTo(1));
    }

    @Test
    void detailShowsPlacementsOfEachVersion() {
        String name = createModel("public", null);
        upload(name, LINEAR).statusCode(201);
        UUID versionId = (UUID) db.query("SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id"
                + " WHERE m.name = ?", name).get(0).get("id");
        UUID worker = UUID.randomUUID();
        db.update("INSERT INTO workers (id, name, url, device, status) VALUES (?, 'w-detail', ?, 'cpu', 'UP')",
                worker, "http://127.0.0.1:9/" + worker);
        db.update("INSERT INTO placements (id, model_version_id, worker_id, state) VALUES (?, ?, ?, 'READY')",
                UUID.randomUUID(), versionId, worker);
        Api.as(Tokens.admin()).get("/admin/v1/models/" + name).then().statusCode(200)
                // other tests' live fake workers may hold an assignment of it too: look for this worker's row
                .body("versions[0].placements.find { it.worker_name == 'w-detail' }.state", equalTo("ready"));
        db.update("DELETE FROM workers WHERE id = ?", worker);
    }

    @Test
    void duplicateNameIs409AndPrivateModelsNeedAnExistingOwner() {
        String name = createModel("public", null);
        Api.as(Tokens.admin()).body(Map.of("name", name, "visibility", "public")).post("/admin/v1/models").then()
                .statusCode(409).body("code", equalTo("model_exists"));
        Api.as(Tokens.admin()).body(Map.of("name", Api.unique("p"), "visibility", "private"))
                .post("/admin/v1/models").then().statusCode(400).body("code", equalTo("owner_tenant_required"));
        Api.as(Tokens.admin()).body(Map.of("name", Api.unique("p"), "visibility", "private",
                "owner_tenant", Api.unique("ghost"))).post("/admin/v1/models").then().statusCode(400)
                .body("code", equalTo("unknown_owner_tenant"));
        Api.as(Tokens.admin()).body(Map.of("name", "bad name!", "visibility", "public")).post("/admin/v1/models")
                .then().statusCode(400).body("violations.field", hasItem("name"));
        Api.as(Tokens.admin()).get("/admin/v1/models").then().statusCode(200).body("name", hasItem(name));
        upload(Api.unique("nomodel"), LINEAR).statusCode(404).body("code", equalTo("model_not_found"));
    }

    @Test
    void tenantSeesPublicAndOwnPrivateModelsButNeverAnothersPrivate() {
        Api.TenantUser alice = Api.tenantWithMember();
        Api.TenantUser bob = Api.tenantWithMember();
        String pub = createModel("public", null);
        String alicePrivate = createModel("private", alice.slug());
        String bobPrivate = createModel("private", bob.slug());
        String noVersions = createModel("public", null);
        for (String m : List.of(pub, alicePrivate, bobPrivate)) {
            upload(m, LINEAR).statusCode(201);
        }
        List<String> seen = Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/models").then()
                .statusCode(200).extract().jsonPath().getList("name");
        assertTrue(seen.contains(pub) && seen.contains(alicePrivate), seen.toString());
        assertTrue(!seen.contains(bobPrivate) && !seen.contains(noVersions), seen.toString());
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/models").then()
                .body("find { it.name == '" + alicePrivate + "' }.visibility", equalTo("private"))
                .body("find { it.name == '" + alicePrivate + "' }.versions[0].signature.inputs[0].datatype",
                        equalTo("FP32"));
        Api.as(bob.token()).get("/api/v1/tenants/" + alice.slug() + "/models").then().statusCode(404);
    }

    @Test
    void patchChangesDescriptionVisibilityAndOwnerAndEveryTenantSeesItAtOnce() {
        Fixtures.Tenant acme = fixtures.tenant();
        Fixtures.Tenant globex = fixtures.tenant();
        String acmeKey = fixtures.key(acme);
        String globexKey = fixtures.key(globex);
        Api.TenantUser alice = Api.userOf(acme.slug(), "member");
        Api.TenantUser bob = Api.userOf(globex.slug(), "member");
        String name = createModel("public", null);
        upload(name, LINEAR).statusCode(201);
        seenBy(bob, globexKey, name, true);

        patch(name, Map.of("description", "a better description")).statusCode(200)
                .body("description", equalTo("a better description")).body("visibility", equalTo("public"))
                .body("versions[0].status", equalTo("ready"));
        patch(name, Map.of("visibility", "private", "owner_tenant", acme.slug())).statusCode(200)
                .body("visibility", equalTo("private")).body("owner_tenant", equalTo(acme.slug()))
                .body("description", equalTo("a better description"));
        seenBy(alice, acmeKey, name, true);
        seenBy(bob, globexKey, name, false);
        // handed to another tenant: the former owner loses it at once, and both tenants' audit logs say so
        patch(name, Map.of("owner_tenant", globex.slug())).statusCode(200).body("owner_tenant", equalTo(globex.slug()));
        seenBy(alice, acmeKey, name, false);
        seenBy(bob, globexKey, name, true);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'model.updated' AND target_id = ?"
                + " AND tenant_id = ? AND details->>'owner_tenant' = ?", name, acme.id(), globex.slug()));
        patch(name, Map.of("visibility", "public", "owner_tenant", "", "description", "")).statusCode(200)
                .body("visibility", equalTo("public")).body("owner_tenant", nullValue())
                .body("description", nullValue());
        seenBy(alice, acmeKey, name, true);
        assertEquals(4, db.count("SELECT count(*) FROM audit_log WHERE action = 'model.updated' AND target_id = ?"
                + " AND tenant_id IS DISTINCT FROM ?", name, acme.id()));
        // four changes, six entries (a change of owner is also in the former owner's log); nothing to change: none
        patch(name, Map.of("visibility", "public")).statusCode(200);
        assertEquals(6, db.count("SELECT count(*) FROM audit_log WHERE action = 'model.updated' AND target_id = ?",
                name));
    }

    @Test
    void patchRefusesWhatWouldLeaveAModelWrongAndChangesNothing() {
        Api.TenantUser alice = Api.tenantWithMember();
        String name = createModel("public", null);
        patch(name, Map.of("visibility", "private")).statusCode(400).body("code", equalTo("owner_tenant_required"));
        patch(name, Map.of("visibility", "private", "owner_tenant", Api.unique("ghost"))).statusCode(400)
                .body("code", equalTo("unknown_owner_tenant"));
        patch(name, Map.of("visibility", "secret")).statusCode(400).body("violations.field", hasItem("visibility"));
        patch(name, Map.of("owner", alice.slug())).statusCode(400).body("code", equalTo("invalid_json"));
        patch(Api.unique("nomodel"), Map.of("description", "x")).statusCode(404).body("code", equalTo("model_not_found"));
        String mine = createModel("private", alice.slug());
        patch(mine, Map.of("owner_tenant", "")).statusCode(400).body("code", equalTo("owner_tenant_required"));
        Api.as(alice.token()).body(Map.of("description", "mine now")).patch("/admin/v1/models/" + name).then()
                .statusCode(403);
        Api.as(Tokens.admin()).get("/admin/v1/models/" + name).then().statusCode(200)
                .body("visibility", equalTo("public")).body("owner_tenant", nullValue())
                .body("description", equalTo("test model"));
        Api.as(Tokens.admin()).get("/admin/v1/models/" + mine).then().body("owner_tenant", equalTo(alice.slug()));
        assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'model.updated' AND target_id IN (?, ?)",
                name, mine));
    }

    private static ValidatableResponse patch(String name, Map<String, Object> body) {
        return Api.as(Tokens.admin()).body(body).patch("/admin/v1/models/" + name).then();
    }

    /** Whether the tenant's card list, its model card and the gateway's metadata all show the model (or all 404). */
    private static void seenBy(Api.TenantUser user, String key, String name, boolean visible) {
        List<String> names = Api.as(user.token()).get("/api/v1/tenants/" + user.slug() + "/models").then()
                .statusCode(200).extract().jsonPath().getList("name");
        assertEquals(visible, names.contains(name), user.slug() + " lists " + names);
        Api.as(user.token()).get("/api/v1/tenants/" + user.slug() + "/models/" + name).then()
                .statusCode(visible ? 200 : 404);
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + name).then()
                .statusCode(visible ? 200 : 404);
    }

    @Test
    void nonAdminCannotCreateOrUpload() {
        Api.TenantUser alice = Api.tenantWithMember();
        Api.as(alice.token()).body(Map.of("name", Api.unique("x"), "visibility", "public")).post("/admin/v1/models")
                .then().statusCode(403);
        String name = createModel("public", null);
        given().header("Authorization", Tokens.bearer(alice.token())).contentType("application/octet-stream")
                .body(LINEAR).post("/admin/v1/models/" + name + "/versions").then().statusCode(403);
        given().contentType("application/octet-stream").body(LINEAR).post("/admin/v1/models/" + name + "/versions")
                .then().statusCode(401);
        assertEquals(0, versionRows(name));
    }
}
