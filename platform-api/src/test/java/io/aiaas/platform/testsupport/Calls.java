package io.aiaas.platform.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;

/** An inference call as a client makes it, with a body that the {@link Fixtures#LINEAR} model takes. */
public final class Calls {

    /** One FP32 input {@code x} of shape [2, 3]: what {@link Fixtures#LINEAR} takes. */
    public static final String LINEAR_BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, -1, 0.5, 0.25]}]}""";

    private Calls() {
    }

    /** {@code POST /v2/models/{model}/infer} with {@link #LINEAR_BODY}, the key as bearer. */
    public static Response infer(String key, String model) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(LINEAR_BODY)
                .post("/v2/models/" + model + "/infer");
    }
}
