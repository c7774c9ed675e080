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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class OpenApiTest {

    /** The keys of a path item that are operations (the others: parameters, summary, servers...). */
    private static final List<String> OPERATIONS = List.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    /** What a client generator turns into a method name: lowerCamelCase, letters and digits only. */
    private static final Pattern OPERATION_ID = Pattern.compile("^[a-z][a-zA-Z0-9]*$");

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
            // the probes, the protocol's server metadata and the control plane's public JWK Set (public keys only)
            // take no credentials
            if (path.contains("/health/") || path.equals("/v2") || path.equals("/internal/v1/keys")
                    || !(operation instanceof Map<?, ?> op)) {
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

    /**
     * A client generator names its methods after the operationIds (without them, openapi-generator invents
     * apiV1TenantsSlugKeysGet), so every operation has one, unique in the document and usable as a method name.
     */
    @Test
    void everyOperationHasAUniqueLowerCamelCaseOperationId() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        List<String> wrong = new ArrayList<>();
        Map<String, String> operationOfId = new HashMap<>();
        Map<String, String> idOfOperation = new HashMap<>();
        paths.forEach((path, operations) -> operations.forEach((method, value) -> {
            if (!OPERATIONS.contains(method) || !(value instanceof Map<?, ?> operation)) {
                return;
            }
            String name = method + " " + path;
            Object id = operation.get("operationId");
            if (id == null) {
                wrong.add(name + " has no operationId");
                return;
            }
            idOfOperation.put(name, id.toString());
            if (!OPERATION_ID.matcher(id.toString()).matches()) {
                wrong.add(name + " has operationId '" + id + "', not lowerCamelCase letters and digits");
            }
            String other = operationOfId.putIfAbsent(id.toString(), name);
            if (other != null) {
                wrong.add(name + " repeats the operationId '" + id + "' of " + other);
            }
        }));
        assertEquals(List.of(), wrong);

        // the names clients call: renaming one breaks every generated client, so it is done here too, on purpose
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("post /v2/models/{name}/infer", "modelInfer");
        expected.put("post /v2/models/{name}/versions/{version}/infer", "modelVersionInfer");
        expected.put("get /v2/health/ready", "serverReady");
        expected.put("post /api/v1/tenants/{slug}/keys", "createKey");
        expected.put("get /api/v1/tenants/{slug}/members", "listMembers");
        expected.put("get /admin/v1/tenants/{slug}/members", "adminListMembers");
        expected.put("post /internal/v1/workers/{id}/heartbeat", "internalSendWorkerHeartbeat");
        Map<String, String> actual = new LinkedHashMap<>();
        expected.keySet().forEach(name -> actual.put(name, idOfOperation.get(name)));
        assertEquals(expected, actual);
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

    /**
     * What a client generator reads: the wire's bodies, not the framework's types. A Vert.x RoutingContext taken as
     * a resource parameter once became every /v2 operation's request body (with Buffer, Session, User... beside it).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theDocumentDescribesTheWireNotTheFramework() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> schemas = doc.getMap("components.schemas");
        List<String> internals = schemas.keySet().stream().filter(name -> List.of("RoutingContext", "Buffer",
                "ByteBuf", "Session", "User", "AuthProvider", "JsonObject", "JsonArray", "JsonNode", "JsonNodeType",
                "HttpServerRequest", "InputStream").contains(name)).toList();
        assertEquals(List.of(), internals, "framework types in components.schemas");

        List<String> wrong = new ArrayList<>();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, value) -> {
            if (!(value instanceof Map<?, ?> operation)) {
                return;
            }
            Object body = operation.get("requestBody");
            if (body != null && List.of("get", "delete", "head").contains(method)) {
                wrong.add(method + " " + path + " documents a request body");
            }
            if (body instanceof Map<?, ?> requestBody && requestBody.get("content") instanceof Map<?, ?> content
                    && content.get("application/json") instanceof Map<?, ?> json) {
                Map<String, Object> schema = (Map<String, Object>) json.get("schema");
                if (schema == null || !schema.containsKey("$ref")) {
                    wrong.add(method + " " + path + " takes JSON without a named schema: " + schema);
                }
            }
        }));
        // every reference resolves
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z0-9_.-]+)")
                .matcher(given().accept("application/json").get("/q/openapi").asString());
        while (refs.find()) {
            if (!schemas.containsKey(refs.group(1))) {
                wrong.add("dangling reference " + refs.group(0));
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theInferenceEndpointsDocumentTheOpenInferenceProtocolBodies() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String path : List.of("/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer")) {
            String post = "paths.'" + path + "'.post.";
            assertEquals("#/components/schemas/InferenceRequest",
                    doc.getString(post + "requestBody.content.'application/json'.schema.'$ref'"), path);
            assertEquals("binary", doc.getString(post + "requestBody.content.'application/octet-stream'.schema.format"),
                    path);
            assertEquals("#/components/schemas/InferenceResponse",
                    doc.getString(post + "responses.'200'.content.'application/json'.schema.'$ref'"), path);
        }
        assertEquals("#/components/schemas/ModelMetadata", doc.getString(
                "paths.'/v2/models/{name}'.get.responses.'200'.content.'application/json'.schema.'$ref'"));
        assertEquals("#/components/schemas/InferenceRequest", doc.getString("paths.'/admin/v1/models/{name}/versions/"
                + "{version}/example'.put.requestBody.content.'application/json'.schema.'$ref'"));
        assertEquals(List.of("inputs"), doc.getList("components.schemas.InferenceRequest.required"));
        assertEquals(List.of("name", "shape", "datatype"),
                doc.getList("components.schemas.InferenceRequestInput.required"));
        assertEquals("#/components/schemas/InferenceRequestInput",
                doc.getString("components.schemas.InferenceRequest.properties.inputs.items.'$ref'"));
        assertEquals(List.of("model_name", "outputs"), doc.getList("components.schemas.InferenceResponse.required"));
    }

    /**
     * The document as a client generator reads it: swagger-parser (the parser of openapi-generator) resolves every
     * reference and finds nothing to complain about, and every operation has a request or no body it can type.
     */
    @Test
    void aClientGeneratorReadsTheDocumentWithoutAComplaint() {
        String text = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        io.swagger.v3.parser.core.models.ParseOptions options = new io.swagger.v3.parser.core.models.ParseOptions();
        options.setResolve(true);
        io.swagger.v3.parser.core.models.SwaggerParseResult result = new io.swagger.v3.parser.OpenAPIV3Parser()
                .readContents(text, null, options);
        assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
        assertEquals(true, result.getOpenAPI() != null && result.getOpenAPI().getPaths().size() > 50,
                "the paths were read");
        io.swagger.v3.oas.models.media.Schema<?> request = result.getOpenAPI().getComponents().getSchemas()
                .get("InferenceRequest");
        assertEquals(List.of("inputs"), request.getRequired());
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
