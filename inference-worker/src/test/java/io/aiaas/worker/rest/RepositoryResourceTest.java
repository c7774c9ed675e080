package io.aiaas.worker.rest;

import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.support.FakeControlPlane;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static io.aiaas.worker.support.Worker.authorized;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class RepositoryResourceTest {

    /** The cache dir set for the test profile in application.properties. */
    private static final Path CACHE = Path.of("target/worker-cache");

    private static List<Path> cachedFiles(String model) throws IOException {
        if (!Files.isDirectory(CACHE)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(CACHE)) {
            return files.filter(f -> f.getFileName().toString().startsWith(model + "-")).toList();
        }
    }

    private static io.restassured.response.Response load(String name, int version, String sha) {
        return authorized().contentType(ContentType.JSON).body(Map.of("sha256", sha))
                .post("/v2/repository/models/{n}/versions/{v}/load", name, version);
    }

    @Test
    void loadMakesTheVersionReadyAndListsIt() throws IOException {
        String sha = FakeControlPlane.shared().publish("loadme", 3, TestModels.linear().onnx());
        load("loadme", 3, sha)
                .then().statusCode(200).body("name", equalTo("loadme")).body("version", equalTo(3)).body("state", equalTo("READY"));
        authorized().get("/v2/repository/index").then().statusCode(200)
                .body("findAll { it.name == 'loadme' }.state", hasItem("READY"));
        assertEquals(1, cachedFiles("loadme").size());
        authorized().get("/v2/models/loadme/versions/3/ready").then().statusCode(200);
    }

    @Test
    void aZipArchiveOfAModelAndItsDataFileIsUnpackedServedAndRemovedOnUnload() throws IOException {
        String sha = FakeControlPlane.shared().publish("archived", 1, TestModels.externalDataArchive());
        load("archived", 1, sha).then().statusCode(200).body("state", equalTo("READY"));
        List<Path> cached = cachedFiles("archived");
        assertEquals(2, cached.size(), "the archive and the directory it was unpacked into: " + cached);
        authorized().contentType(ContentType.JSON)
                .body("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1, 1]}]}")
                .post("/v2/models/archived/versions/1/infer").then().statusCode(200)
                .body("outputs[0].data", equalTo(List.of(4f, 6f)));
        authorized().post("/v2/repository/models/archived/versions/1/unload").then().statusCode(200);
        assertEquals(List.of(), cachedFiles("archived"), "archive and unpacked directory both removed");

        // an archive whose tensor reads a file outside it fails to load, and leaves nothing behind
        String hostile = FakeControlPlane.shared().publish("escaping", 1, TestModels.zip(Map.of(
                "model.onnx", TestModels.withExternalData("../../../../etc/hostname", "0", "16"))));
        load("escaping", 1, hostile).then().statusCode(422).body("error", containsString("outside the model's folder"));
        assertEquals(List.of(), cachedFiles("escaping"));
    }

    @Test
    void unloadClosesTheVersionAndDeletesItsFile() throws IOException {
        Worker.load("gone", 1, TestModels.scalarAdd());
        assertEquals(1, cachedFiles("gone").size());
        authorized().post("/v2/repository/models/gone/versions/1/unload").then().statusCode(200).body("state", equalTo("UNLOADED"));
        assertEquals(List.of(), cachedFiles("gone"));
        authorized().get("/v2/models/gone").then().statusCode(404);
        authorized().get("/v2/repository/index").then().body("name", not(hasItem("gone")));
        authorized().post("/v2/repository/models/gone/versions/1/unload").then().statusCode(404).body("error", containsString("gone"));
    }

    @Test
    void sha256MismatchFailsTheLoadAndLeavesNoFile() throws IOException {
        FakeControlPlane.shared().publish("tampered", 1, TestModels.linear().onnx());
        String wrong = FakeControlPlane.sha256("something else".getBytes());
        load("tampered", 1, wrong)
                .then().statusCode(422).body("error", containsString("sha256 mismatch"));
        authorized().get("/v2/repository/index").then()
                .body("find { it.name == 'tampered' }.state", equalTo("FAILED"))
                .body("find { it.name == 'tampered' }.reason", containsString("sha256 mismatch"));
        assertEquals(List.of(), cachedFiles("tampered"));
        authorized().contentType(ContentType.JSON).body("{\"inputs\": []}").post("/v2/models/tampered/infer")
                .then().statusCode(503).body("error", containsString("failed to load"));
    }

    @Test
    void unloadableModelFailsWithReasonAndLeavesNoFile() throws IOException {
        byte[] junk = "this is not an onnx model".getBytes();
        String sha = FakeControlPlane.shared().publish("junk", 1, junk);
        load("junk", 1, sha)
                .then().statusCode(422).body("error", containsString("cannot be loaded"));
        assertEquals(List.of(), cachedFiles("junk"));
    }

    @Test
    void missingArtifactIsABadGateway() {
        load("absent", 1, "a".repeat(64))
                .then().statusCode(502).body("error", containsString("404"));
    }

    @Test
    void inferWhileLoadingIs503() {
        FakeControlPlane cp = FakeControlPlane.shared();
        String sha = cp.publish("slow", 1, TestModels.linear().onnx());
        cp.delay("slow", 1, 1500);
        CompletableFuture<Integer> loading = CompletableFuture.supplyAsync(
                () -> load("slow", 1, sha).statusCode());
        await().until(() -> cp.artifactRequests().contains("slow/1"));
        authorized().contentType(ContentType.JSON).body("{\"inputs\": []}").post("/v2/models/slow/infer")
                .then().statusCode(503).body("error", containsString("loading"));
        authorized().get("/v2/models/slow/versions/1/ready").then().statusCode(503);
        assertEquals(200, loading.join());
        authorized().get("/v2/models/slow/ready").then().statusCode(200);
    }

    @Test
    void withoutVersionTheHighestReadyVersionAnswers() {
        Worker.load("multi_v", 1, TestModels.scalarAdd());
        Worker.load("multi_v", 2, TestModels.scalarAdd());
        authorized().get("/v2/models/multi_v").then().statusCode(200).body("versions.size()", equalTo(2));
        authorized().contentType(ContentType.JSON)
                .body("{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]},"
                        + "{\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]}]}")
                .post("/v2/models/multi_v/infer").then().statusCode(200).body("model_version", equalTo("2"));
    }
}
