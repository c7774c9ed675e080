package io.aiaas.platform.access;

import static org.hamcrest.Matchers.equalTo;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class AccessServiceTest {

    @Test
    void memberIsMatchedByEmailCaseInsensitively() {
        String slug = Api.createTenant();
        Api.addMember(slug, "Carol@Example.test", "member");
        Api.as(Tokens.user("carol@EXAMPLE.test")).get("/api/v1/tenants/" + slug + "/keys").then().statusCode(200);
    }

    @Test
    void memberIsMatchedBySubject() {
        String slug = Api.createTenant();
        String subject = "kc-" + Api.unique("sub");
        Api.as(Tokens.admin()).body(Map.of("subject", subject, "role", "member"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);
        Api.as(Tokens.token(subject, null)).get("/api/v1/tenants/" + slug + "/models").then().statusCode(200);
        Api.as(Tokens.token("kc-someone-else", null)).get("/api/v1/tenants/" + slug + "/models").then()
                .statusCode(404).body("code", equalTo("tenant_not_found"));
    }

    @Test
    void removedMemberLosesAccess() {
        String slug = Api.createTenant();
        String email = Api.unique("dave") + "@example.test";
        // a member: the tenant's last admin cannot be removed (409 last_admin, see MemberRoleTest)
        String id = Api.as(Tokens.admin()).body(Map.of("email", email, "role", "member"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201).extract().path("id");
        Api.as(Tokens.user(email)).get("/api/v1/tenants/" + slug + "/usage").then().statusCode(200);
        Api.as(Tokens.admin()).delete("/admin/v1/tenants/" + slug + "/members/" + id).then().statusCode(204);
        Api.as(Tokens.user(email)).get("/api/v1/tenants/" + slug + "/usage").then().statusCode(404);
    }

    @Test
    void tenantUserCannotUseTheAdminApi() {
        Api.TenantUser alice = Api.tenantWithMember();
        Api.as(alice.token()).get("/admin/v1/tenants/" + alice.slug()).then().statusCode(403)
                .body("code", equalTo("forbidden"));
        Api.as(alice.token()).get("/admin/v1/models").then().statusCode(403);
    }
}
