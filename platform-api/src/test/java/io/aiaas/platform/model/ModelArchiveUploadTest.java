package io.aiaas.platform.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.engine.ModelArchive;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.platform.model.service.ModelStorage;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.EnrolledWorker;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A model whose weights lie in a data file (every model over 2 GB) is uploaded as one zip archive: validated like a
 * single file, stored and sent to workers as that archive, run for examples from what it unpacked to; an archive
 * whose entries or tensors point anywhere else is a 400 that leaves nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ModelArchiveUploadTest {

    private static final String EXAMPLE = """
            {"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [1, 1, 2, 0]}]}""";

    @Inject
    TestDb db;

    @Inject
    ModelStorage storage;

    @Test
    void anArchiveIsValidatedStoredServedToWorkersAndRunsItsExample() throws Exception {
        String name = ModelResourceTest.createModel("public", null);
        byte[] archive = TestModels.externalDataArchive();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        upload(name, archive, "application/zip").statusCode(201)
                .header("Location", endsWith("/admin/v1/models/" + name + "/versions/1"))
                .body("status", equalTo("ready")).body("sha256", equalTo(sha))
                .body("size_bytes", equalTo(archive.length)).body("warmup.status", equalTo("zeros"))
                .body("signature.inputs[0].name", equalTo("x"))
                .body("signature.inputs[0].shape", equalTo(List.of(-1, 2)))
                .body("signature.outputs[0].name", equalTo("y"));

        Path stored = storage.resolve(storagePath(name));
        assertTrue(stored.toString().endsWith(".zip"), stored.toString());
        assertArrayEquals(archive, Files.readAllBytes(stored), "the archive is the artifact, as uploaded");
        assertTrue(Files.isRegularFile(ModelArchive.unpackedDir(stored).resolve("model/weights.bin")));

        // a worker downloads the archive itself and checks it against the same sha256
        Response artifact = given().header("Authorization", "Bearer " + EnrolledWorker.enrol().token())
                .get("/internal/v1/artifacts/" + name + "/1");
        artifact.then().statusCode(200).header("x-aiaas-sha256", sha);
        assertArrayEquals(archive, artifact.asByteArray());

        // the example runs on the weights from the data file: [1, 1] W = [4, 6], [2, 0] W = [2, 4]
        Api.as(Tokens.admin()).body(EXAMPLE).put("/admin/v1/models/" + name + "/versions/1/example").then()
                .statusCode(200).body("example.response.outputs[0].data", equalTo(List.of(4f, 6f, 2f, 4f)));

        // storage restored from a backup of the archives alone: the archive is unpacked again when next needed
        ModelArchive.deleteUnpacked(stored);
        Api.as(Tokens.admin()).body(EXAMPLE).put("/admin/v1/models/" + name + "/versions/1/example").then()
                .statusCode(200).body("example.response.outputs[0].data", equalTo(List.of(4f, 6f, 2f, 4f)));
        assertTrue(Files.isDirectory(ModelArchive.unpackedDir(stored)));
    }

    @Test
    void theBytesDecideNotTheContentType() {
        String name = ModelResourceTest.createModel("public", null);
        upload(name, TestModels.externalDataArchive(), "application/octet-stream").statusCode(201);
        upload(name, TestModels.externalDataArchive(), "application/x-zip-compressed").statusCode(201);
        upload(name, TestModels.linear().onnx(), "application/zip").statusCode(201).body("version", equalTo(3));
        upload(name, TestModels.linear().onnx(), "text/plain").statusCode(415);
        assertTrue(storagePath(name, 3).endsWith(".onnx"));
    }

    @Test
    void archivesThatPointOutsideThemselvesOrInflatePastTheCapAre400AndLeaveNothing() throws Exception {
        String name = ModelResourceTest.createModel("public", null);
        long before = storedFiles();
        byte[] weights = TestModels.externalWeights(0);
        Map<String, Map<String, byte[]>> refused = new LinkedHashMap<>();
        refused.put("outside the model's folder", Map.of(
                "m/model.onnx", TestModels.withExternalData("../../../../etc/passwd", "0", "16"), "m/w.bin", weights));
        refused.put("not a plain relative path", Map.of(
                "model.onnx", TestModels.withExternalData("*/_ORT_MEM_ADDR_/*", "0", "16"), "w.bin", weights));
        refused.put("which the archive does not hold", Map.of(
                "model.onnx", TestModels.withExternalData("missing.bin", "0", "16")));
        refused.put("'../model.onnx' is not a plain relative path", Map.of(
                "../model.onnx", TestModels.withExternalData("weights.bin", "0", "16"), "weights.bin", weights));
        refused.put("holds 2 .onnx files", Map.of("a.onnx", TestModels.linear().onnx(),
                "b.onnx", TestModels.linear().onnx()));
        Map<String, byte[]> bomb = new LinkedHashMap<>();
        bomb.put("model.onnx", TestModels.withExternalData("weights.bin", "0", "16"));
        bomb.put("weights.bin", weights);
        bomb.put("zeros.bin", new byte[2 * 1024 * 1024]); // the test profile lets archives unpack to 1 MiB
        refused.put("the archive unpacks to more than 1048576 bytes", bomb);
        for (Map.Entry<String, Map<String, byte[]>> c : refused.entrySet()) {
            upload(name, TestModels.zip(c.getValue()), "application/zip").statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_model"))
                    .body("detail", containsString(c.getKey()))
                    .body("detail", not(containsString(storage.root().toString())))
                    .body("detail", not(containsString("/incoming/")));
        }
        upload(name, new byte[] {'P', 'K', 3, 4, 0, 0}, "application/zip").statusCode(400)
                .body("detail", containsString("not a readable zip archive"));
        assertEquals(0, db.count("SELECT count(*) FROM model_versions v JOIN models m ON m.id = v.model_id"
                + " WHERE m.name = ?", name));
        assertEquals(before, storedFiles());
        try (Stream<Path> incoming = Files.list(storage.root().resolve("incoming"))) {
            assertFalse(incoming.anyMatch(Files::isDirectory), "no unpacked directory left in incoming/");
        }
    }

    @Test
    void whatAKilledUploadOrUnpackLeftIsRemovedOnceItIsADayOld() throws Exception {
        Path incoming = Files.createDirectories(storage.root().resolve("incoming"));
        java.nio.file.attribute.FileTime twoDaysAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
        Path oldPart = Files.writeString(incoming.resolve(java.util.UUID.randomUUID() + ".part"), "killed upload");
        Path oldUnpacked = Files.createDirectories(incoming.resolve(oldPart.getFileName() + ".d/model"));
        Files.writeString(oldUnpacked.resolve("weights.bin"), "its weights");
        Path halfUnpacked = Files.createDirectories(storage.root().resolve(java.util.UUID.randomUUID()
                + "/v.zip." + java.util.UUID.randomUUID() + ".unpacking/model"));
        Files.writeString(halfUnpacked.resolve("weights.bin"), "half");
        for (Path p : List.of(oldPart, oldUnpacked.getParent(), halfUnpacked.getParent())) {
            Files.setLastModifiedTime(p, twoDaysAgo);
        }
        Path current = Files.writeString(incoming.resolve(java.util.UUID.randomUUID() + ".part"), "under way");

        assertEquals(3, storage.removeLeftoversOlderThan(java.time.Instant.now().minus(java.time.Duration.ofDays(1))));
        assertFalse(Files.exists(oldPart));
        assertFalse(Files.exists(oldUnpacked.getParent()));
        assertFalse(Files.exists(halfUnpacked.getParent()));
        assertTrue(Files.exists(halfUnpacked.getParent().getParent()), "the model's folder stays");
        assertTrue(Files.exists(current), "an upload under way on another replica is left alone");
        Files.delete(current);
    }

    private static ValidatableResponse upload(String name, byte[] body, String contentType) {
        return given().header("Authorization", Tokens.bearer(Tokens.admin())).contentType(contentType).body(body)
                .post("/admin/v1/models/" + name + "/versions").then();
    }

    private String storagePath(String name) {
        return storagePath(name, 1);
    }

    private String storagePath(String name, int version) {
        return (String) db.queryOne("SELECT v.storage_path FROM model_versions v JOIN models m ON m.id = v.model_id"
                + " WHERE m.name = ? AND v.version = ?", name, version).get("storage_path");
    }

    private long storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(storage.root())) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
