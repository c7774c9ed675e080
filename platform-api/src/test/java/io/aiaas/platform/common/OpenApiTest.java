package io.aiaas.platform.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class OpenApiTest {

    @Test
    void openApiDocumentsTheErrorStatusesOfThePublicApis() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/admin/v1/tenants"))
                .body("paths", hasKey("/api/v1/tenants/{slug}/keys"))
                .body("paths", hasKey("/v2/models/{name}/infer"))
                .body("paths.'/admin/v1/tenants'.post.responses", hasKey("409"))
                .body("paths.'/admin/v1/models/{name}/versions'.post.responses", hasKey("413"))
                .body("paths.'/api/v1/tenants/{slug}/keys'.post.responses", hasKey("404"))
                .body("paths.'/v2/models/{name}/infer'.post.responses", hasKey("401"))
                .body("paths.'/v2/models/{name}/infer'.post.responses.'503'", notNullValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationOutsideTheHealthProbesDocumentsItsAuthenticationFailure() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        List<String> undocumented = new ArrayList<>();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            // the probes and the control plane's public JWK Set (public keys only) take no credentials
            if (path.contains("/health/") || path.equals("/internal/v1/keys") || !(operation instanceof Map<?, ?> op)) {
                return;
            }
            Map<String, Object> responses = (Map<String, Object>) op.get("responses");
            if (responses == null || !responses.containsKey("401")
                    || responses.keySet().stream().noneMatch(code -> code.startsWith("2"))) {
                undocumented.add(method + " " + path);
            }
        }));
        assertEquals(List.of(), undocumented);
    }

    @Test
    void theReportsDocumentTheirSharedQueryParameters() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String path : List.of("/api/v1/tenants/{slug}/usage", "/api/v1/tenants/{slug}/usage.csv",
                "/api/v1/tenants/{slug}/costs")) {
            List<String> names = doc.getList("paths.'" + path + "'.get.parameters.name");
            assertEquals(true, names != null && names.containsAll(List.of("slug", "start", "end", "bucket_width",
                    "group_by", "model", "key_id")), path + " documents " + names);
        }
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
