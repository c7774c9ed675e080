package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class MembersResourceTest {

    static final String ALICE = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String CAROL = "cccccccc-0000-4000-8000-000000000003";
    static final String MEMBERS = """
            [{"id":"%s","email":"alice@acme.test","subject":null,"role":"admin","created_at":"2026-01-02T03:04:05Z"},
             {"id":"%s","email":null,"subject":"sub-carol","role":"member","created_at":"2026-02-02T03:04:05Z"}]"""
            .formatted(ALICE, CAROL);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/members")), 200, MEMBERS);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminSeesThePeopleWithFormsToAddChangeAndRemove() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().when().get("/t/acme/members").then().statusCode(200)
                .body(containsString("<table id=\"members\">"))
                .body(containsString("<tr data-member-id=\"" + CAROL + "\">"))
                .body(containsString("<td>sub-carol</td>"))
                .body(containsString("<form id=\"invite-member\""))
                .body(containsString("<input id=\"member-email\" name=\"email\" type=\"text\""))
                .body(containsString("<select id=\"member-role\" name=\"role\">"))
                .body(containsString("class=\"change-role\""))
                .body(containsString("data-confirm=\"Remove sub-carol from the tenant?\""));
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberSeesThePeopleButNoForms() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        given().when().get("/t/acme/members").then().statusCode(200)
                .body(containsString("<td>alice@acme.test</td>"))
                .body(not(containsString("invite-member")))
                .body(not(containsString("change-role")))
                .body(not(containsString("remove-member")));
    }

    @Test
    @TestSecurity(user = "alice")
    void addingSomeoneSendsTheirEmailAndRoleAndComesBackWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/members")), 201,
                "{\"id\":\"dddddddd-0000-4000-8000-000000000004\",\"email\":\"dave@acme.test\",\"role\":\"admin\"}");
        Forms.from("/t/acme/members").formParam("email", " dave@acme.test ").formParam("role", "admin")
                .when().post("/t/acme/members").then().statusCode(303)
                .header("Location", endsWith("/t/acme/members?done=invited"));
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/members"))
                .withRequestBody(equalToJson("{\"email\":\"dave@acme.test\",\"role\":\"admin\"}")));
        given().when().get("/t/acme/members?done=invited").then().body(containsString("id=\"members-done\""));
    }

    @Test
    @TestSecurity(user = "alice")
    void someoneIsAddedByAccountIdWhenNoAddressIsTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/members")), 201,
                "{\"id\":\"dddddddd-0000-4000-8000-000000000005\",\"subject\":\"4f1c-kc-id\",\"role\":\"member\"}");
        Forms.from("/t/acme/members").formParam("email", " 4f1c-kc-id ").formParam("role", "member")
                .when().post("/t/acme/members").then().statusCode(303)
                .header("Location", endsWith("/t/acme/members?done=invited"));
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/members"))
                .withRequestBody(equalToJson("{\"subject\":\"4f1c-kc-id\",\"role\":\"member\"}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void someoneAlreadyThereIsSaidSoNextToTheForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/tenants/acme/members")), 409, "member_exists",
                "dave@acme.test is already a member");
        String html = Forms.from("/t/acme/members").formParam("email", "dave@acme.test").formParam("role", "member")
                .when().post("/t/acme/members").then().statusCode(409).extract().asString();
        assertEquals("dave@acme.test is already a member", Forms.text(html, "invite-member-error"));
        assertTrue(html.contains("value=\"dave@acme.test\""), "what was typed stays");
    }

    @Test
    @TestSecurity(user = "alice")
    void aRoleIsChangedWithPatchAndTheLastAdminRefusalIsShownInTheRow() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, patch(urlPathEqualTo("/api/v1/tenants/acme/members/" + CAROL)), 200,
                "{\"id\":\"" + CAROL + "\",\"role\":\"admin\"}");
        Forms.from("/t/acme/members").formParam("role", "admin").when().post("/t/acme/members/" + CAROL + "/role")
                .then().statusCode(303).header("Location", endsWith("/t/acme/members?done=role"));
        api.verify(patchRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/members/" + CAROL))
                .withRequestBody(equalToJson("{\"role\":\"admin\"}")));

        PlatformApiStub.problem(api, patch(urlPathEqualTo("/api/v1/tenants/acme/members/" + ALICE)), 409,
                "last_admin", "the tenant would be left without an admin");
        String html = Forms.from("/t/acme/members").formParam("role", "member")
                .when().post("/t/acme/members/" + ALICE + "/role").then().statusCode(409).extract().asString();
        assertEquals("the tenant would be left without an admin", Forms.text(html, "member-role-" + ALICE + "-error"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRoleThatIsNotOneIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Forms.from("/t/acme/members").formParam("email", "x@acme.test").formParam("role", "owner")
                .when().post("/t/acme/members").then().statusCode(400)
                .body(containsString("id=\"invite-member-error\""));
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void removingSomeoneDeletesTheMembership() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        api.stubFor(delete(urlPathEqualTo("/api/v1/tenants/acme/members/" + CAROL)).willReturn(noContent()));
        Forms.from("/t/acme/members").when().post("/t/acme/members/" + CAROL + "/remove")
                .then().statusCode(303).header("Location", endsWith("/t/acme/members?done=removed"));
        api.verify(deleteRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/members/" + CAROL)));
    }
}
