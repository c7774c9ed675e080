package io.aiaas.platform.apikey;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.common.net.Network;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API keys restricted to client networks: what issuing and changing them check, and what the gateway lets such a key
 * do from the address the test calls from (the loopback), with each refusal recorded and never billed. Without a
 * trusted proxy configured, an X-Forwarded-For header changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyNetworksTest {

    static final String BODY = ApiKeyModelsTest.BODY;
    private static final Pattern CAME_FROM = Pattern.compile("this call came from (\\S+) \\(");

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    TestDb db;

    Api.TenantUser alice;
    Model model;
    FakeWorker worker;

    @BeforeEach
    void setUp() throws Exception {
        alice = Api.tenantWithAdmin();
        model = fixtures.model("PUBLIC", null);
        worker = FakeWorker.start("http://localhost:" + RestAssured.port).hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private String keys() {
        return "/api/v1/tenants/" + alice.slug() + "/keys";
    }

    private JsonPath issue(List<String> networks) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "office only");
        body.put("allowed_networks", networks);
        return Api.as(alice.token()).body(body).post(keys()).then().statusCode(201).extract().jsonPath();
    }

    private Response setNetworks(String id, List<String> networks) {
        Map<String, Object> body = new HashMap<>();
        body.put("allowed_networks", networks);
        return Api.as(alice.token()).body(body).put(keys() + "/" + id + "/networks");
    }

    private Response infer(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer");
    }

    @Test
    void aKeyIsUsableOnlyFromItsNetworksAndEveryRefusalIsRecordedUnbilled() {
        JsonPath created = issue(List.of("203.0.113.0/24", "198.51.100.7", "2001:DB8::/32", "203.0.113.0/24"));
        assertEquals(List.of("203.0.113.0/24", "198.51.100.7/32", "2001:db8::/32"),
                created.getList("allowed_networks"), "canonical, repeats dropped, in the order given");
        String key = created.getString("key");
        String id = created.getString("id");

        Response refused = infer(key);
        refused.then().statusCode(403).body("code", equalTo("network_not_allowed"))
                .body("error", containsString("this API key may be used only from 203.0.113.0/24, 198.51.100.7/32,"
                        + " 2001:db8::/32; this call came from "));
        usage.one(refused).status(403).billable(false).errorCode("network_not_allowed");
        // metadata and readiness are refused alike; nothing reached the worker
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + model.name()).then().statusCode(403)
                .body("code", equalTo("network_not_allowed"));
        assertEquals(0, worker.inferCalls());
        // without a trusted proxy configured, what a client says of its address is not believed
        given().header("Authorization", "Bearer " + key).header("X-Forwarded-For", "203.0.113.9")
                .header("Forwarded", "for=203.0.113.9").contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer").then().statusCode(403);

        // the address the platform saw: a network holding it lets the key in, at once on this replica
        Matcher seen = CAME_FROM.matcher(refused.jsonPath().getString("error"));
        assertEquals(true, seen.find(), refused.asString());
        String own = Network.parse(seen.group(1)).toString();
        String family = Network.client(seen.group(1)) instanceof Inet4Address ? "0.0.0.0/0" : "::/0";
        String otherFamily = family.equals("0.0.0.0/0") ? "::/0" : "0.0.0.0/0";
        setNetworks(id, List.of("203.0.113.0/24", own)).then().statusCode(200)
                .body("allowed_networks", equalTo(List.of("203.0.113.0/24", own)));
        infer(key).then().statusCode(200);
        setNetworks(id, List.of(family)).then().statusCode(200);
        infer(key).then().statusCode(200);
        // every address of the other family is still not this one
        setNetworks(id, List.of(otherFamily)).then().statusCode(200);
        infer(key).then().statusCode(403).body("code", equalTo("network_not_allowed"));
        // null: from anywhere again
        setNetworks(id, null).then().statusCode(200).body("allowed_networks", nullValue());
        infer(key).then().statusCode(200);
        assertEquals(4L, db.count("SELECT count(*) FROM usage_records WHERE api_key_id = ?::uuid AND error_code ="
                + " 'network_not_allowed' AND NOT billable", id), "three refused calls and one metadata request");
        assertEquals(4L, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.networks_changed' AND"
                + " target_id = ?", id));
    }

    @Test
    void whatIsNotANetworkIsRefusedNamingTheEntryAndARotatedKeyKeepsItsNetworks() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "bad");
        body.put("allowed_networks", List.of("10.1.2.3/8", "203.0.113.0/24", "example.com", "10.0.0.0/33"));
        Api.as(alice.token()).body(body).post(keys()).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("violations", hasSize(3))
                .body("violations[0].field", equalTo("allowed_networks[0]"))
                .body("violations[0].message", equalTo("10.1.2.3/8 has bits set beyond /8; the network is 10.0.0.0/8"))
                .body("violations[1].field", equalTo("allowed_networks[2]"))
                .body("violations[2].field", equalTo("allowed_networks[3]"));
        body.put("allowed_networks", List.of());
        Api.as(alice.token()).body(body).post(keys()).then().statusCode(400).body("code", equalTo("validation_failed"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add("10.0." + i + ".0/24");
        }
        body.put("allowed_networks", many);
        Api.as(alice.token()).body(body).post(keys()).then().statusCode(400).body("code", equalTo("validation_failed"));
        assertEquals(0L, db.count("SELECT count(*) FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE"
                + " t.slug = ?", alice.slug()), "nothing was issued");

        JsonPath created = issue(List.of("192.0.2.0/24"));
        String id = created.getString("id");
        // the field is required on a change; a plain member may not change it
        Api.as(alice.token()).body(Map.of()).put(keys() + "/" + id + "/networks").then().statusCode(400)
                .body("code", equalTo("invalid_json"));
        setNetworks(id, List.of("nonsense")).then().statusCode(400).body("violations[0].field",
                equalTo("allowed_networks[0]"));
        Api.TenantUser member = Api.userOf(alice.slug(), "member");
        Api.as(member.token()).body(Collections.singletonMap("allowed_networks", null))
                .put(keys() + "/" + id + "/networks").then().statusCode(403);
        Api.as(member.token()).get(keys() + "/" + id).then().statusCode(200)
                .body("allowed_networks", equalTo(List.of("192.0.2.0/24")));

        JsonPath rotated = Api.as(alice.token()).body(Map.of("overlap_seconds", 0)).post(keys() + "/" + id
                + "/rotate").then().statusCode(201).extract().jsonPath();
        assertEquals(List.of("192.0.2.0/24"), rotated.getList("allowed_networks"));
        infer(rotated.getString("key")).then().statusCode(403).body("code", equalTo("network_not_allowed"));
    }
}
