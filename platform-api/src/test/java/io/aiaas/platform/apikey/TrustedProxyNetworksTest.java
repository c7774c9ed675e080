package io.aiaas.platform.apikey;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.TimingProfile;
import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.protocol.grpc.GRPCInferenceServiceGrpc;
import io.aiaas.protocol.grpc.ModelReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind a trusted reverse proxy (the loopback, in {@link TimingProfile}) a key's networks are checked against the
 * address the proxy says the call came from (X-Forwarded-For, read from its right end), over REST and gRPC, as a
 * deployment behind an ingress configures it; that address is also where the key shows it was last used from.
 */
@QuarkusTest
@TestProfile(TimingProfile.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class TrustedProxyNetworksTest {

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    Model model;
    FakeWorker worker;

    @BeforeEach
    void setUp() throws Exception {
        model = fixtures.model("PUBLIC", null);
        worker = FakeWorker.start("http://localhost:" + RestAssured.port).hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private String officeKey() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        return Api.as(alice.token()).body(Map.of("name", "office", "allowed_networks",
                List.of("203.0.113.0/24", "2001:db8::/32"))).post("/api/v1/tenants/" + alice.slug() + "/keys")
                .then().statusCode(201).extract().path("key");
    }

    private Response infer(String key, String forwardedFor) {
        var request = given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(ApiKeyModelsTest.BODY);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/v2/models/" + model.name() + "/infer");
    }

    @Test
    void theAddressTheTrustedProxyGivesIsTheOneChecked() {
        String key = officeKey();
        infer(key, "203.0.113.9").then().statusCode(200);
        infer(key, "2001:db8::7").then().statusCode(200);
        Response refused = infer(key, "198.51.100.9");
        refused.then().statusCode(403).body("code", equalTo("network_not_allowed"))
                .body("error", containsString("this call came from 198.51.100.9"));
        usage.one(refused).status(403).billable(false).errorCode("network_not_allowed");
        // the proxy's own address (no header) is not in the key's networks either
        infer(key, null).then().statusCode(403);
    }

    @Test
    void whereAKeyWasLastUsedFromIsTheClientTheProxyNamesNotTheProxy() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        String keys = "/api/v1/tenants/" + alice.slug() + "/keys";
        JsonPath key = Api.as(alice.token()).body(Map.of("name", "anywhere")).post(keys)
                .then().statusCode(201).extract().jsonPath();
        infer(key.getString("key"), "203.0.113.9").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.as(alice.token())
                .get(keys + "/" + key.getString("id")).then().statusCode(200)
                .body("last_used_from", equalTo("203.0.113.9")));
    }

    @Test
    void anAddressTheClientWroteItselfIsNotBelieved() {
        String key = officeKey();
        // the client sent "X-Forwarded-For: 203.0.113.9"; the proxy (the loopback) appended the address it saw
        Response refused = infer(key, "203.0.113.9, 198.51.100.9");
        refused.then().statusCode(403).body("code", equalTo("network_not_allowed"))
                .body("error", containsString("this call came from 198.51.100.9"));
        // two trusted hops (a load balancer, then the ingress) are walked past to the client they saw
        infer(key, "198.51.100.9, 203.0.113.9, 127.0.0.1").then().statusCode(200);
    }

    @Test
    void overGrpcTheTrustedProxysMetadataIsReadTheSameWay() throws InterruptedException {
        String key = officeKey();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
        try {
            assertTrue(ready(channel, key, "203.0.113.9"));
            StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                    () -> ready(channel, key, "203.0.113.9, 198.51.100.9"));
            assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
            assertTrue(denied.getStatus().getDescription().contains("this call came from 198.51.100.9"),
                    denied.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private boolean ready(ManagedChannel channel, String key, String forwardedFor) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        metadata.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), forwardedFor);
        return GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .modelReady(ModelReadyRequest.newBuilder().setName(model.name()).build()).getReady();
    }
}
