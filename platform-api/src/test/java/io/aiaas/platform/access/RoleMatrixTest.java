package io.aiaas.platform.access;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every tenant-scoped endpoint against every kind of caller: tenant admins and platform admins may do everything,
 * members read (keys list, models, model cards, usage, costs, the usage CSV, invoices, members list) but may not
 * issue, rotate or revoke keys, manage members or change their roles, choose the tenant's plan, or read the audit
 * log (403), and outsiders, or members whose e-mail the identity provider
 * has not verified, do not learn that the tenant exists (404). Each refusal is checked to have changed nothing.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class RoleMatrixTest {

    @Inject
    TestDb db;

    @Inject
    Fixtures fixtures;

    /** One tenant-scoped operation: it runs against a fresh target and says whether it took effect. */
    interface Operation {
        Response call(String token);

        /** Whether the change was made; reads change nothing and answer false. */
        boolean tookEffect();

        default boolean changes() {
            return true;
        }
    }

    /** What each kind of caller must get. */
    enum Expect {
        ALLOWED, FORBIDDEN, NOT_FOUND
    }

    String slug;
    UUID tenantId;
    String model;

    @Test
    void everyTenantEndpointAgainstEveryKindOfCaller() {
        slug = Api.createTenant();
        tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
        model = fixtures.model("PUBLIC", null).name();

        String tenantAdmin = Api.userOf(slug, "admin").token();
        String member = Api.userOf(slug, "member").token();
        String outsider = Api.tenantWithAdmin().token(); // an admin, but of another tenant
        String platformAdmin = Tokens.admin();
        // an admin of this tenant by e-mail, but the identity provider has not verified that address
        String unverifiedEmail = Api.unique("unverified") + "@example.test";
        Api.addMember(slug, unverifiedEmail, "admin");
        String unverified = Tokens.unverified(unverifiedEmail);
        // members by subject need no e-mail at all
        String subject = "kc-" + Api.unique("sub");
        Api.as(Tokens.admin()).body(Map.of("subject", subject, "role", "member"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);
        String subjectMember = Tokens.token(subject, null);

        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("tenant admin", tenantAdmin);
        callers.put("platform admin", platformAdmin);
        callers.put("member", member);
        callers.put("member by subject, no e-mail", subjectMember);
        callers.put("outsider", outsider);
        callers.put("member with unverified e-mail", unverified);

        Map<String, Boolean> readOnly = new LinkedHashMap<>();
        readOnly.put("GET keys", true);
        readOnly.put("POST keys", false);
        readOnly.put("DELETE keys/{id}", false);
        readOnly.put("POST keys/{id}/rotate", false);
        readOnly.put("GET models", true);
        readOnly.put("GET models/{name}", true);
        readOnly.put("GET usage", true);
        readOnly.put("GET costs", true);
        readOnly.put("GET usage.csv", true);
        readOnly.put("GET invoices", true);
        readOnly.put("GET invoices/upcoming", true);
        // the audit log is for tenant admins: a plain member is refused like a write
        readOnly.put("GET audit", false);
        readOnly.put("GET members", true);
        readOnly.put("GET plan/choices", true);
        readOnly.put("PUT plan", false);
        readOnly.put("POST members", false);
        readOnly.put("PATCH members/{id}", false);
        readOnly.put("DELETE members/{id}", false);

        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%-32s", "caller \\ endpoint"));
        readOnly.keySet().forEach(e -> table.append(String.format(" | %-20s", e)));
        table.append('\n');
        for (Map.Entry<String, String> caller : callers.entrySet()) {
            table.append(String.format("%-32s", caller.getKey()));
            for (Map.Entry<String, Boolean> endpoint : readOnly.entrySet()) {
                Expect expect = switch (caller.getKey()) {
                    case "tenant admin", "platform admin" -> Expect.ALLOWED;
                    case "member", "member by subject, no e-mail" -> endpoint.getValue() ? Expect.ALLOWED
                            : Expect.FORBIDDEN;
                    default -> Expect.NOT_FOUND;
                };
                Operation operation = operation(endpoint.getKey());
                Response response = operation.call(caller.getValue());
                String cell = response.statusCode() + (response.statusCode() >= 400
                        ? " " + response.jsonPath().getString("code") : "");
                table.append(String.format(" | %-20s", cell));
                String problem = check(expect, response, operation);
                if (problem != null) {
                    failures.add(caller.getKey() + " / " + endpoint.getKey() + ": " + problem);
                }
            }
            table.append('\n');
        }
        System.out.println("Role matrix of /api/v1/tenants/{slug}/...:\n" + table);
        assertThat(String.join("\n", failures), failures.isEmpty(), equalTo(true));
    }

    private static String check(Expect expect, Response response, Operation operation) {
        int status = response.statusCode();
        String code = status >= 400 ? response.jsonPath().getString("code") : null;
        switch (expect) {
            case ALLOWED -> {
                if (status < 200 || status >= 300) {
                    return "expected 2xx, got " + status + " " + response.asString();
                }
                if (operation.changes() && !operation.tookEffect()) {
                    return "answered " + status + " but nothing changed";
                }
            }
            case FORBIDDEN -> {
                if (status != 403 || !"forbidden".equals(code)) {
                    return "expected 403 forbidden, got " + status + " " + response.asString();
                }
                if (operation.tookEffect()) {
                    return "refused with 403 but the change was made";
                }
            }
            case NOT_FOUND -> {
                if (status != 404 || !"tenant_not_found".equals(code)) {
                    return "expected 404 tenant_not_found, got " + status + " " + response.asString();
                }
                if (operation.tookEffect()) {
                    return "refused with 404 but the change was made";
                }
            }
        }
        if (status >= 400 && !response.contentType().startsWith("application/problem+json")) {
            return "error without a problem body: " + response.contentType();
        }
        return null;
    }

    private Operation operation(String name) {
        String base = "/api/v1/tenants/" + slug;
        return switch (name) {
            case "GET keys" -> read(base + "/keys");
            case "GET models" -> read(base + "/models");
            case "GET models/{name}" -> read(base + "/models/" + model);
            case "GET usage" -> read(base + "/usage");
            case "GET costs" -> read(base + "/costs");
            case "GET usage.csv" -> read(base + "/usage.csv");
            case "GET invoices" -> read(base + "/invoices");
            case "GET invoices/upcoming" -> read(base + "/invoices/upcoming");
            case "GET audit" -> read(base + "/audit");
            case "GET members" -> read(base + "/members");
            case "GET plan/choices" -> read(base + "/plan/choices");
            case "PUT plan" -> {
                String planId = PlanBodies.create(PlanBodies.spec());
                Api.as(Tokens.admin()).body(Map.of("self_service", true))
                        .put("/admin/v1/plans/" + planId + "/self-service").then().statusCode(200);
                yield new Operation() {
                    public Response call(String token) {
                        return Api.as(token).body(Map.of("plan_id", planId)).put(base + "/plan");
                    }

                    public boolean tookEffect() {
                        return db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ? AND plan_id = ?",
                                tenantId, UUID.fromString(planId)) == 1;
                    }
                };
            }
            case "POST keys" -> {
                String keyName = Api.unique("key");
                yield new Operation() {
                    public Response call(String token) {
                        return Api.as(token).body(Map.of("name", keyName)).post(base + "/keys");
                    }

                    public boolean tookEffect() {
                        return db.count("SELECT count(*) FROM api_keys WHERE tenant_id = ? AND name = ?", tenantId,
                                keyName) == 1;
                    }
                };
            }
            case "DELETE keys/{id}" -> {
                String keyId = Api.as(Tokens.admin()).body(Map.of("name", Api.unique("target"))).post(base + "/keys")
                        .then().statusCode(201).extract().path("id");
                yield new Operation() {
                    public Response call(String token) {
                        return Api.as(token).delete(base + "/keys/" + keyId);
                    }

                    public boolean tookEffect() {
                        return db.value("SELECT revoked_at FROM api_keys WHERE id = ?", UUID.fromString(keyId))
                                != null;
                    }
                };
            }
            case "POST members" -> {
                String email = Api.unique("new") + "@example.test";
                yield new Operation() {
                    public Response call(String token) {
                        return Api.as(token).body(Map.of("email", email, "role", "member")).post(base + "/members");
                    }

                    public boolean tookEffect() {
                        return db.count("SELECT count(*) FROM tenant_members WHERE tenant_id = ? AND email = ?",
                                tenantId, email) == 1;
                    }
                };
            }
            case "POST keys/{id}/rotate" -> {
                String keyName = Api.unique("rotated");
                String keyId = Api.as(Tokens.admin()).body(Map.of("name", keyName)).post(base + "/keys")
                        .then().statusCode(201).extract().path("id");
                yield new Operation() {
                    public Response call(String token) {
                        return Api.as(token).body(Map.of()).post(base + "/keys/" + keyId + "/rotate");
                    }

                    public boolean tookEffect() {
                        return db.count("SELECT count(*) FROM api_keys WHERE tenant_id = ? AND name = ?", tenantId,
                                keyName) == 2;
                    }
                };
            }
            case "PATCH members/{id}" -> {
                String memberId = Api.as(Tokens.admin())
                        .body(Map.of("email", Api.unique("promoted") + "@example.test", "role", "member"))
                        .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201).extract().path("id");
                yield new Operation() {
                    public Response call(String token) {
                        return Api.as(token).body(Map.of("role", "admin")).patch(base + "/members/" + memberId);
                    }

                    public boolean tookEffect() {
                        return "ADMIN".equals(db.value("SELECT role FROM tenant_members WHERE id = ?",
                                UUID.fromString(memberId)));
                    }
                };
            }
            case "DELETE members/{id}" -> {
                String memberId = Api.as(Tokens.admin())
                        .body(Map.of("email", Api.unique("leaving") + "@example.test", "role", "member"))
                        .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201).extract().path("id");
                yield new Operation() {
                    public Response call(String token) {
                        return Api.as(token).delete(base + "/members/" + memberId);
                    }

                    public boolean tookEffect() {
                        return db.count("SELECT count(*) FROM tenant_members WHERE id = ?",
                                UUID.fromString(memberId)) == 0;
                    }
                };
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Operation read(String path) {
        return new Operation() {
            public Response call(String token) {
                return Api.as(token).get(path);
            }

            public boolean tookEffect() {
                return false;
            }

            public boolean changes() {
                return false;
            }
        };
    }

    @Test
    void unverifiedEmailNeverMatchesButTheSamePersonVerifiedDoes() {
        String slug = Api.createTenant();
        String email = Api.unique("erin") + "@example.test";
        Api.addMember(slug, email, "member");
        Api.as(Tokens.unverified(email)).get("/api/v1/tenants/" + slug + "/models").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(Tokens.user(email)).get("/api/v1/tenants/" + slug + "/models").then().statusCode(200);
        // a token without email_verified at all is not verified either
        String noClaim = io.smallrye.jwt.build.Jwt.claims().issuer(Tokens.ISSUER).subject("sub-" + UUID.randomUUID())
                .claim("email", email).expiresIn(3600).jws().keyId("1").sign("privateKey.jwk");
        Api.as(noClaim).get("/api/v1/tenants/" + slug + "/models").then().statusCode(404);
    }

    @Test
    void memberBySubjectNeedsNoEmailAndATenantAdminBySubjectManagesKeys() {
        String slug = Api.createTenant();
        String subject = "kc-" + Api.unique("admin");
        Api.as(Tokens.admin()).body(Map.of("subject", subject, "role", "admin"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);
        String token = Tokens.token(subject, null);
        String id = Api.as(token).body(Map.of("name", "by-subject")).post("/api/v1/tenants/" + slug + "/keys").then()
                .statusCode(201).extract().path("id");
        assertThat(db.value("SELECT created_by FROM api_keys WHERE id = ?", UUID.fromString(id)), equalTo(subject));
        Api.as(token).delete("/api/v1/tenants/" + slug + "/keys/" + id).then().statusCode(204);
        assertThat(db.value("SELECT revoked_at FROM api_keys WHERE id = ?", UUID.fromString(id)) == null,
                equalTo(false));
        assertThat(db.value("SELECT email FROM tenant_members WHERE subject = ?", subject), nullValue());
    }
}
