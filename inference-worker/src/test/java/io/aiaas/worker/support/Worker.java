package io.aiaas.worker.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;

/** Test helpers for calling the worker the way the control plane does. */
public final class Worker {

    private Worker() {
    }

    /** A token the control plane would send: signed by its key, audience = the worker's identity id. */
    public static String token() {
        return FakeControlPlane.forWorker().workerToken();
    }

    public static RequestSpecification authorized() {
        return RestAssured.given().header("Authorization", "Bearer " + token());
    }

    /** Publishes the model on the fake control plane and loads it through the repository endpoint. */
    public static String load(String name, int version, byte[] onnx) {
        String sha = FakeControlPlane.shared().publish(name, version, onnx);
        authorized().contentType(ContentType.JSON)
                .body(Map.of("sha256", sha))
                .post("/v2/repository/models/{name}/versions/{version}/load", name, version)
                .then().statusCode(200);
        return sha;
    }

    /** Publishes the model and asks the worker to load it with this example request; the answer is returned. */
    public static io.restassured.response.Response loadWithExample(String name, int version, byte[] onnx,
                                                                  String exampleJson) {
        String sha = FakeControlPlane.shared().publish(name, version, onnx);
        return authorized().contentType(ContentType.JSON)
                .body("{\"sha256\": \"" + sha + "\", \"example\": " + exampleJson + "}")
                .post("/v2/repository/models/{name}/versions/{version}/load", name, version);
    }

    public static void unload(String name, int version) {
        authorized().post("/v2/repository/models/{name}/versions/{version}/unload", name, version);
    }
}
