package io.aiaas.platform.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ErrorHandlingTest {

    private static final String UUID_REGEX = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Inject
    TestDb db;

    @Test
    void unknownPathIsProblemJsonWithRequestId() {
        given().get("/no/such/thing").then().statusCode(404)
                .contentType("application/problem+json")
                .header("x-request-id", matchesPattern(UUID_REGEX))
                .body("status", equalTo(404)).body("code", equalTo("not_found"))
                .body("type", equalTo("urn:aiaas:problem:not_found")).body("title", notNullValue())
                .body("detail", containsString("/no/such/thing"));
    }

    @Test
    void unknownInferencePathAnswersOpenInferenceError() {
        given().get("/v2/no/such/thing").then().statusCode(404)
                .contentType(ContentType.JSON)
                .header("x-request-id", matchesPattern(UUID_REGEX))
                .body("error", notNullValue()).body("code", equalTo("not_found")).body("$", not(hasKey("type")));
    }

    @Test
    void incomingRequestIdIsNeverReused() {
        String id = UUID.randomUUID().toString();
        given().header("x-request-id", id).get("/q/health/live").then()
                .header("x-request-id", allOf(matchesPattern(UUID_REGEX), not(equalTo(id))));
        given().header("x-request-id", "not a uuid; drop table").get("/q/health/live").then()
                .header("x-request-id", matchesPattern(UUID_REGEX));
    }

    @Test
    void wrongMethodIs405() {
        Api.as(Tokens.admin()).put("/admin/v1/tenants").then().statusCode(405)
                .contentType("application/problem+json").body("code", equalTo("method_not_allowed"));
    }

    @Test
    void wrongContentTypeIs415() {
        given().header("Authorization", Tokens.bearer(Tokens.admin())).contentType(ContentType.TEXT).body("hello")
                .post("/admin/v1/tenants").then().statusCode(415)
                .contentType("application/problem+json").body("code", equalTo("unsupported_media_type"));
    }

    @Test
    void malformedJsonIs400WithoutInternals() {
        String body = Api.as(Tokens.admin()).body("{\"slug\": \"abc\", ").post("/admin/v1/tenants").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_json"))
                .extract().asString();
        assertTrue(!body.contains("com.fasterxml") && !body.contains("Exception"), body);
    }

    @Test
    void wrongJsonTypeNamesTheFieldWithoutJavaTypes() {
        String body = Api.as(Tokens.admin()).body("{\"slug\": [1, 2], \"name\": \"x\"}").post("/admin/v1/tenants")
                .then().statusCode(400).body("code", equalTo("invalid_json")).body("detail", containsString("slug"))
                .extract().asString();
        assertTrue(!body.contains("java.lang"), body);
    }

    @Test
    void unparseableValuesAndBadTokensAre400InvalidJson() {
        // a date that is not one (Jackson's InvalidFormatException) and a bad token (JsonParseException)
        String slug = Api.tenantWithMember().slug();
        Api.as(Tokens.admin()).body("{\"name\": \"k\", \"expires_at\": \"yesterday\"}")
                .post("/api/v1/tenants/" + slug + "/keys").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_json"))
                .body("detail", containsString("expires_at"));
        Api.as(Tokens.admin()).body("{\"slug\": nope}").post("/admin/v1/tenants").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_json"));
    }

    @Test
    void dateTimeGivenAsANumberIs400NotReadAsEpochSeconds() {
        String slug = Api.tenantWithMember().slug();
        String name = Api.unique("epoch");
        // 4102444800 would be 2100-01-01T00:00:00Z as epoch seconds: a number is not the documented ISO-8601 string
        for (String value : new String[] {"4102444800", "4102444800.5", "true", "[2100, 1, 1]", "{}"}) {
            Api.as(Tokens.admin()).body("{\"name\": \"" + name + "\", \"expires_at\": " + value + "}")
                    .post("/api/v1/tenants/" + slug + "/keys").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_json"))
                    .body("detail", containsString("'expires_at' must be an ISO-8601 date-time"));
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, db.count("SELECT count(*) FROM api_keys WHERE name = ?", name));
        Api.as(Tokens.admin()).body("{\"name\": \"" + name + "\", \"expires_at\": \"2100-01-01T00:00:00Z\"}")
                .post("/api/v1/tenants/" + slug + "/keys").then().statusCode(201)
                .body("expires_at", equalTo("2100-01-01T00:00:00Z"));
        Api.as(Tokens.admin()).body("{\"name\": \"" + name + "\", \"expires_at\": null}")
                .post("/api/v1/tenants/" + slug + "/keys").then().statusCode(201);
    }

    @Test
    void validationErrorsListTheFields() {
        Api.as(Tokens.admin()).body("{\"slug\": \"Not Valid!\"}").post("/admin/v1/tenants").then().statusCode(400)
                .body("code", equalTo("validation_failed"))
                .body("violations.field", org.hamcrest.Matchers.hasItems("slug", "name"));
    }

    @Inject
    io.aiaas.platform.testsupport.Fixtures fixtures;

    @Test
    void aQueryParameterTheEndpointDoesNotTakeIs400NamingTheOnesItTakes() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        String usage = "/api/v1/tenants/" + alice.slug() + "/usage";
        // "from" for "start" would otherwise answer the default range in silence
        Api.as(alice.token()).get(usage + "?from=2026-01-01T00:00:00Z&bucket_width=1d").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("unknown_parameter"))
                .body("detail", equalTo("Query parameter 'from' is not known here; the parameters are [bucket_width,"
                        + " end, group_by, key_id, model, start]"));
        Api.as(alice.token()).get(usage + "?start=2026-11-01T00:00:00Z&bucket_width=1d&group_by=model").then()
                .statusCode(200);
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/audit?limit=5").then().statusCode(200);
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/keys?page=2").then().statusCode(400)
                .body("detail", equalTo("Query parameter 'page' is not known here; this endpoint takes none"));
        // under /v2 in the Open Inference Protocol's error body
        String key = fixtures.key(fixtures.tenant());
        given().header("Authorization", "Bearer " + key).get("/v2/models/any?verbose=true").then().statusCode(400)
                .contentType(ContentType.JSON).body("code", equalTo("unknown_parameter"))
                .body("error", containsString("'verbose'")).body("$", not(hasKey("type")));
    }

    @Test
    void randomBearerOnInferencePathIsNotRejectedByOidc() {
        // /v2 carries API keys: OIDC must not try to verify them as user tokens
        given().header("Authorization", "Bearer aiaas_notarealkeyjustsomething").get("/v2/health/live").then()
                .statusCode(not(401));
        given().header("Authorization", "Bearer not.a.jwt").get("/q/health/live").then().statusCode(200);
    }

    @Test
    void usagePartitionsExistForThisMonthAndTheNextTwo() {
        long ahead = db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'usage_records'::regclass AND c.relname IN ("
                + " to_char(now() AT TIME ZONE 'UTC', '\"usage_records_\"YYYY_MM'),"
                + " to_char((now() AT TIME ZONE 'UTC') + interval '1 month', '\"usage_records_\"YYYY_MM'),"
                + " to_char((now() AT TIME ZONE 'UTC') + interval '2 month', '\"usage_records_\"YYYY_MM'))");
        org.junit.jupiter.api.Assertions.assertEquals(3, ahead);
    }
}
