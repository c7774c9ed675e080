package io.aiaas.platform.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Shortcuts for calling the admin and tenant APIs in tests, with unique names so tests never collide. */
public final class Api {

    private Api() {
    }

    /** A unique, valid slug or model name with the given prefix. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A request with the given user token and JSON content type. */
    public static RequestSpecification as(String token) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON);
    }

    /** Creates a tenant as platform admin and answers its slug. */
    public static String createTenant() {
        String slug = unique("t");
        as(Tokens.admin()).body(Map.of("slug", slug, "name", "Tenant " + slug))
                .post("/admin/v1/tenants").then().statusCode(201);
        return slug;
    }

    /** Adds a member by e-mail with role "admin" or "member". */
    public static void addMember(String slug, String email, String role) {
        as(Tokens.admin()).body(Map.of("email", email, "role", role))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);
    }

    /** Creates a tenant with one member (role "member") and answers a token of that member. */
    public static TenantUser tenantWithMember() {
        return tenantWithUser("member");
    }

    /** Creates a tenant with one tenant admin and answers a token of that admin. */
    public static TenantUser tenantWithAdmin() {
        return tenantWithUser("admin");
    }

    /** Adds a person with the given role to an existing tenant and answers a token of that person. */
    public static TenantUser userOf(String slug, String role) {
        String email = unique("user") + "@example.test";
        addMember(slug, email, role);
        return new TenantUser(slug, email, Tokens.user(email));
    }

    private static TenantUser tenantWithUser(String role) {
        return userOf(createTenant(), role);
    }

    /** A tenant and one of its members. */
    public record TenantUser(String slug, String email, String token) {
    }
}
