package io.aiaas.worker.rest;

import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.worker.support.FakeControlPlane;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class InternalAuthTest {

    @Test
    void requestWithoutTokenIsRejected() {
        RestAssured.get("/v2").then().statusCode(401).body("error", containsString("missing bearer token"));
        RestAssured.given().contentType("application/json").body("{\"inputs\": []}").post("/v2/models/linear/infer")
                .then().statusCode(401).body("error", notNullValue());
        RestAssured.get("/v2/repository/index").then().statusCode(401);
        RestAssured.get("/q/openapi").then().statusCode(401);
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        String forged = new InternalTokens("another-secret-another-secret-another-0123")
                .issue("aiaas-platform", Audiences.WORKER, "x", Duration.ofMinutes(1));
        RestAssured.given().header("Authorization", "Bearer " + forged).get("/v2")
                .then().statusCode(401).body("error", containsString("invalid token"));
    }

    @Test
    void tokenForTheControlPlaneIsRejected() {
        String wrongAudience = new InternalTokens(FakeControlPlane.SECRET)
                .issue("aiaas-worker", Audiences.CONTROL_PLANE, "x", Duration.ofMinutes(1));
        RestAssured.given().header("Authorization", "Bearer " + wrongAudience).get("/v2")
                .then().statusCode(401).body("error", containsString("invalid token"));
        String fromAnotherWorker = new InternalTokens(FakeControlPlane.SECRET)
                .issue("aiaas-worker", Audiences.WORKER, "x", Duration.ofMinutes(1));
        RestAssured.given().header("Authorization", "Bearer " + fromAnotherWorker).get("/v2")
                .then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer not.a.jwt").get("/v2").then().statusCode(401);
        RestAssured.given().header("Authorization", "Basic YWxpY2U6YWxpY2U=").get("/v2").then().statusCode(401);
    }

    @Test
    void healthProbesAreOpen() {
        RestAssured.get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        RestAssured.get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        RestAssured.get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }
}
