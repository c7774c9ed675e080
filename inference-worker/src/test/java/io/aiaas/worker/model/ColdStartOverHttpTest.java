package io.aiaas.worker.model;

import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.aiaas.worker.support.Worker.authorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A call to an EVICTED version loads it again and says so in its headers and in the metrics. */
@QuarkusTest
class ColdStartOverHttpTest {

    private static final String BODY =
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}";

    @Inject
    ModelRegistry registry;

    private static Response infer() {
        return authorized().contentType(ContentType.JSON).body(BODY).post("/v2/models/cold_http/versions/1/infer");
    }

    @Test
    void aCallToAnEvictedVersionIsAColdStartWithItsHeaders() {
        Worker.load("cold_http", 1, TestModels.linear().onnx());
        try {
            Response warm = infer();
            assertEquals(200, warm.statusCode(), warm.asString());
            assertNull(warm.header("x-aiaas-cold-start"));
            assertNull(warm.header("x-aiaas-load-ms"));

            assertTrue(registry.evictIfIdle(new ModelKey("cold_http", 1)));
            authorized().get("/v2/repository/index").then()
                    .body("find { it.name == 'cold_http' }.state", org.hamcrest.Matchers.equalTo("EVICTED"));
            // still answers metadata (the signature is kept) and counts as ready: a call will load it
            authorized().get("/v2/models/cold_http/versions/1/ready").then().statusCode(200);

            Response cold = infer();
            assertEquals(200, cold.statusCode(), cold.asString());
            assertEquals("true", cold.header("x-aiaas-cold-start"));
            assertTrue(Long.parseLong(cold.header("x-aiaas-load-ms")) >= 0, cold.header("x-aiaas-load-ms"));
            assertEquals(warm.jsonPath().getList("outputs[0].data"), cold.jsonPath().getList("outputs[0].data"));

            Response again = infer();
            assertEquals(200, again.statusCode());
            assertNull(again.header("x-aiaas-cold-start"));

            String metrics = authorized().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("aiaas_model_cold_start_total{model=\"cold_http\",version=\"1\"} 1.0"), metrics);
            assertTrue(metrics.contains("aiaas_model_unload_total{model=\"cold_http\",reason=\"evicted\",version=\"1\"} 1.0"),
                    metrics);
            assertTrue(metrics.matches("(?s).*aiaas_model_memory_bytes\\{kind=\"host\",model=\"cold_http\",version=\"1\"} "
                    + "[1-9][0-9.E]*\n.*"), metrics);
        } finally {
            Worker.unload("cold_http", 1);
        }
    }
}
