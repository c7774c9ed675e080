package io.aiaas.worker.rest;

import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.support.FakeControlPlane;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.aiaas.worker.support.Worker.authorized;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker fetches artifacts from its configured control plane only, so its token goes nowhere else. */
@QuarkusTest
class ArtifactSourceTest {

    @Test
    void aLoadNamingAnArtifactUrlIsRefusedAndNothingIsFetched() {
        FakeControlPlane decoy = FakeControlPlane.decoy();
        String sha = FakeControlPlane.shared().publish("elsewhere", 1, TestModels.scalarAdd());
        authorized().contentType(ContentType.JSON)
                .body("{\"sha256\": \"" + sha + "\", \"artifact_url\": \"" + decoy.url() + "/internal/v1/artifacts/elsewhere/1\"}")
                .post("/v2/repository/models/elsewhere/versions/1/load")
                .then().statusCode(400)
                .body("error", equalTo("'artifact_url' is not accepted: the worker fetches artifacts only from the "
                        + "control plane it is configured with"));
        assertEquals(List.of(), decoy.requests());
        assertTrue(FakeControlPlane.shared().artifactRequests().stream().noneMatch(r -> r.startsWith("elsewhere/")));
        authorized().get("/v2/models/elsewhere").then().statusCode(404);
    }

    @Test
    void namesArePercentEncodedIntoOnePathSegmentOfTheControlPlanesUrl() {
        String name = "a b+ü?#%";
        Worker.load(name, 7, TestModels.scalarAdd());
        assertTrue(FakeControlPlane.shared().requests().contains("GET /internal/v1/artifacts/a%20b%2B%C3%BC%3F%23%25/7"),
                FakeControlPlane.shared().requests().toString());
        authorized().get("/v2/repository/index").then().body("find { it.version == 7 }.name", equalTo(name));
    }

    @Test
    void versionsAreAsciiDigitsWithoutSignOrLeadingZerosOnEveryEndpoint() {
        Worker.load("versions", 1, TestModels.scalarAdd());
        String scalar = "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]},"
                + " {\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]}]}";
        for (String version : List.of("+1", "01", "\u0661", "99999999999", "0", "-1", "1.0", "\uFF11")) {
            String expected = "version '" + version + "' is not a version number: versions are whole numbers from 1 "
                    + "to 2147483647, in ASCII digits without sign or leading zeros";
            authorized().get("/v2/models/versions/versions/{v}", version).then().statusCode(400).body("error", equalTo(expected));
            authorized().get("/v2/models/versions/versions/{v}/ready", version).then().statusCode(400).body("error", equalTo(expected));
            authorized().contentType(ContentType.JSON).body(scalar).post("/v2/models/versions/versions/{v}/infer", version)
                    .then().statusCode(400).body("error", equalTo(expected));
            authorized().post("/v2/repository/models/versions/versions/{v}/unload", version)
                    .then().statusCode(400).body("error", equalTo(expected));
        }
        // and version 1 is still there, untouched by any of them
        authorized().contentType(ContentType.JSON).body(scalar).post("/v2/models/versions/versions/1/infer")
                .then().statusCode(200).body("model_version", equalTo("1"));
    }
}
