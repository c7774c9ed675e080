package io.aiaas.platform.me;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /api/v1/me: who the caller is and the tenants they belong to, matched as tenant access matches people. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class MeResourceTest {

    @Test
    void personSeesTheirTenantsBySlugWithRoleAndStatus() {
        String email = Api.unique("mia") + "@example.test";
        // slugs chosen so the expected order is known: "a-..." before "b-..."
        String first = "a-" + Api.unique("me");
        String second = "b-" + Api.unique("me");
        String notMine = Api.createTenant();
        for (String slug : List.of(second, first)) {
            Api.as(Tokens.admin()).body(Map.of("slug", slug, "name", "Name of " + slug)).post("/admin/v1/tenants")
                    .then().statusCode(201);
        }
        Api.addMember(first, email, "admin");
        Api.addMember(second, email, "member");
        Api.addMember(notMine, Api.unique("other") + "@example.test", "admin");
        Api.as(Tokens.admin()).body(Map.of("status", "suspended")).patch("/admin/v1/tenants/" + second).then()
                .statusCode(200);
        String subject = "sub-" + UUID.randomUUID();

        JsonPath me = Api.as(Tokens.token(subject, email)).get("/api/v1/me").then().statusCode(200).extract()
                .jsonPath();

        assertEquals(subject, me.getString("subject"));
        assertEquals(email, me.getString("email"));
        assertEquals(true, me.getBoolean("email_verified"));
        assertEquals(email.substring(0, email.indexOf('@')), me.getString("username"));
        assertEquals(false, me.getBoolean("platform_admin"));
        assertEquals(List.of(
                Map.of("slug", first, "name", "Name of " + first, "role", "admin", "status", "active"),
                Map.of("slug", second, "name", "Name of " + second, "role", "member", "status", "suspended")),
                me.getList("tenants"));
    }

    @Test
    void memberBySubjectIsMatchedWithoutAnEmailAndAdminWinsWhenMatchedTwice() {
        String slug = Api.createTenant();
        String other = Api.createTenant();
        String subject = "kc-" + Api.unique("sub");
        String email = Api.unique("sam") + "@example.test";
        Api.as(Tokens.admin()).body(Map.of("subject", subject, "role", "member"))
                .post("/admin/v1/tenants/" + other + "/members").then().statusCode(201);
        // in one tenant the same person is a member by e-mail and an admin by subject: one entry, admin
        Api.addMember(slug, email, "member");
        Api.as(Tokens.admin()).body(Map.of("subject", subject, "role", "admin"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);

        Api.as(Tokens.token(subject, null)).get("/api/v1/me").then().statusCode(200)
                .body("email", nullValue()).body("tenants.slug", equalTo(List.of(slug, other).stream().sorted()
                        .toList()));
        JsonPath both = Api.as(Tokens.token(subject, email)).get("/api/v1/me").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(2, both.getList("tenants").size());
        assertEquals("admin", both.getString("tenants.find { it.slug == '" + slug + "' }.role"));
        assertEquals("member", both.getString("tenants.find { it.slug == '" + other + "' }.role"));
    }

    @Test
    void unverifiedEmailMatchesNoMembership() {
        String slug = Api.createTenant();
        String email = Api.unique("una") + "@example.test";
        Api.addMember(slug, email, "admin");
        Api.as(Tokens.unverified(email)).get("/api/v1/me").then().statusCode(200)
                .body("email", equalTo(email)).body("tenants", equalTo(List.of()));
        Api.as(Tokens.user(email)).get("/api/v1/me").then().statusCode(200).body("tenants.slug",
                equalTo(List.of(slug)));
    }

    @Test
    void platformAdminIsFlaggedAndListsOnlyTheTenantsTheyWereAddedTo() {
        Api.createTenant();
        String subject = "admin-" + UUID.randomUUID();
        Api.as(Tokens.token(subject, null, Tokens.PLATFORM_ADMIN)).get("/api/v1/me").then().statusCode(200)
                .body("platform_admin", equalTo(true)).body("tenants", equalTo(List.of()));
        String slug = Api.createTenant();
        Api.as(Tokens.admin()).body(Map.of("subject", subject, "role", "member"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);
        Api.as(Tokens.token(subject, null, Tokens.PLATFORM_ADMIN)).get("/api/v1/me").then().statusCode(200)
                .body("platform_admin", equalTo(true)).body("tenants.slug", equalTo(List.of(slug)))
                .body("tenants[0].role", equalTo("member"));
    }

    @Test
    void noOrBadTokenIs401() {
        given().get("/api/v1/me").then().statusCode(401).body("code", equalTo("unauthorized"));
        Api.as(Tokens.forged()).get("/api/v1/me").then().statusCode(401);
        Api.as(Tokens.expired()).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void anUnverifiedAddressIsSaidSoAndFindsNoMembershipWhileTheSubjectDoes() {
        String slug = Api.createTenant();
        String email = Api.unique("una") + "@example.test";
        Api.addMember(slug, email, "member");
        String subject = "sub-" + UUID.randomUUID();
        Api.as(Tokens.token(subject, email, false)).get("/api/v1/me").then().statusCode(200)
                .body("email", org.hamcrest.Matchers.equalTo(email))
                .body("email_verified", org.hamcrest.Matchers.equalTo(false))
                .body("tenants", org.hamcrest.Matchers.empty());
        Api.as(Tokens.admin()).body(Map.of("subject", subject, "role", "member"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);
        Api.as(Tokens.token(subject, email, false)).get("/api/v1/me").then().statusCode(200)
                .body("tenants.slug", org.hamcrest.Matchers.contains(slug));
    }
}
