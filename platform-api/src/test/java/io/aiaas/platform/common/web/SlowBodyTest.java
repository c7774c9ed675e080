package io.aiaas.platform.common.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.RawHttp;
import io.aiaas.platform.testsupport.RawHttp.Answer;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.TimingProfile;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot tie up the platform: a body that stalls or trickles is cut off with 408 within the stall timeout
 * (1 s in {@link TimingProfile}), while other callers keep being served; a body over its endpoint's limit is 413 with
 * the error body of its API.
 */
@QuarkusTest
@TestProfile(TimingProfile.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class SlowBodyTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDb db;

    static Duration stallTimeout() {
        return ConfigProvider.getConfig().getValue("aiaas.http.body-stall-timeout", Duration.class);
    }

    static long maxJsonBytes() {
        return ConfigProvider.getConfig().getValue("aiaas.http.max-json-bytes", MemorySize.class).asLongValue();
    }

    static RawHttp raw() {
        return new RawHttp("localhost", RestAssured.port);
    }

    static Map<String, String> json(String token, long contentLength) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json",
                "Content-Length", Long.toString(contentLength));
    }

    static JsonNode body(Answer answer) throws Exception {
        return JSON.readTree(answer.body());
    }

    @Test
    void stalledBodyIs408WithinTheStallTimeoutWhileOthersAreServed() throws Exception {
        String slug = Api.unique("stalled");
        byte[] part = ("{\"slug\": \"" + slug + "\", ").getBytes(StandardCharsets.UTF_8);
        String admin = Tokens.admin();
        // warm: the first user call of the application fetches the identity provider's keys
        Api.as(admin).get("/admin/v1/tenants").then().statusCode(200);
        int stalled = 100;
        ExecutorService pool = Executors.newFixedThreadPool(stalled);
        try {
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < stalled; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> raw().stall("POST", "/admin/v1/tenants",
                        json(admin, 200), part, Duration.ofSeconds(10)), pool));
            }
            // meanwhile, other callers are served at once: the stalled bodies hold no worker thread
            Thread.sleep(300);
            long slowestHealth = 0;
            long slowestCreate = 0;
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                given().get("/v2/health/live").then().statusCode(200);
                long between = System.nanoTime();
                Api.as(admin).body(Map.of("slug", Api.unique("meanwhile"), "name", "Served"))
                        .post("/admin/v1/tenants").then().statusCode(201);
                slowestHealth = Math.max(slowestHealth, between - started);
                slowestCreate = Math.max(slowestCreate, System.nanoTime() - between);
            }
            System.out.printf("with %d stalled bodies, the slowest of 5 health calls took %.1f ms, of 5 tenant"
                    + " creations %.1f ms%n", stalled, slowestHealth / 1e6, slowestCreate / 1e6);
            assertThat(slowestHealth, lessThan(stallTimeout().toNanos()));
            assertThat(slowestCreate, lessThan(stallTimeout().toNanos()));

            for (CompletableFuture<Answer> future : answers) {
                Answer answer = future.get();
                assertThat(answer.toString(), answer.status(), equalTo(408));
                assertThat(answer.header("content-type"), startsWith("application/problem+json"));
                JsonNode problem = body(answer);
                assertThat(problem.path("code").asText(), equalTo("request_timeout"));
                assertThat(problem.path("type").asText(), equalTo("urn:aiaas:problem:request_timeout"));
                assertThat(problem.path("detail").asText(), containsString("too slowly"));
                assertThat(answer.millis(), greaterThanOrEqualTo(stallTimeout().toMillis()));
                assertThat(answer.millis(), lessThan(stallTimeout().toMillis() + 2_000));
            }
            assertThat(db.count("SELECT count(*) FROM tenants WHERE slug = ?", slug), equalTo(0L));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stalledInferenceBodyIs408WithTheProtocolsErrorBody() throws Exception {
        Answer answer = raw().stall("POST", "/v2/models/m/infer", json("aiaas_" + "x".repeat(40), 100),
                "{\"inputs\": [".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
        assertThat(answer.toString(), answer.status(), equalTo(408));
        assertThat(answer.header("content-type"), startsWith("application/json"));
        assertThat(body(answer).path("error").asText(), containsString("too slowly"));
        assertThat(answer.millis(), lessThan(stallTimeout().toMillis() + 2_000));
    }

    @Test
    void tricklingBodyIs408OnceItFallsBelowTheMinimumRate() throws Exception {
        byte[] body = ("{\"slug\": \"" + Api.unique("trickle") + "\", \"name\": \"" + "n".repeat(150) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = json(Tokens.admin(), body.length);
        // one byte every 50 ms never stalls for a second, but 20 bytes per second is far below the minimum rate
        Answer answer = raw().trickle("POST", "/admin/v1/tenants", headers, body, 1, Duration.ofMillis(50),
                Duration.ofSeconds(10));
        assertThat(answer.toString(), answer.status(), equalTo(408));
        assertThat(body(answer).path("code").asText(), equalTo("request_timeout"));
        assertThat(answer.millis(), lessThan(stallTimeout().toMillis() + 2_000));
    }

    @Test
    void jsonBodyOverTheLimitIs413WithAProblemBodyAndNothingIsCreated() throws Exception {
        long limit = maxJsonBytes();
        String slug = Api.unique("big");
        byte[] big = ("{\"slug\": \"" + slug + "\", \"name\": \"" + "n".repeat((int) limit) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // announced by Content-Length: refused before it is read
        Answer declared = raw().send("POST", "/admin/v1/tenants", json(Tokens.admin(), big.length), big,
                Duration.ofSeconds(10));
        assertThat(declared.toString(), declared.status(), equalTo(413));
        assertThat(declared.header("content-type"), startsWith("application/problem+json"));
        JsonNode problem = body(declared);
        assertThat(problem.path("code").asText(), equalTo("payload_too_large"));
        assertThat(problem.path("type").asText(), equalTo("urn:aiaas:problem:payload_too_large"));
        assertThat(problem.path("status").asInt(), equalTo(413));
        assertThat(problem.path("detail").asText(), containsString(Long.toString(limit)));
        // chunked, so the size shows only while it arrives
        Answer chunked = raw().send("POST", "/admin/v1/tenants", Map.of("Authorization", "Bearer " + Tokens.admin(),
                "Content-Type", "application/json", "Transfer-Encoding", "chunked"), big, Duration.ofSeconds(10));
        assertThat(chunked.toString(), chunked.status(), equalTo(413));
        assertThat(body(chunked).path("code").asText(), equalTo("payload_too_large"));
        assertThat(db.count("SELECT count(*) FROM tenants WHERE slug = ?", slug), equalTo(0L));
        // just under the limit is read and judged on its content (the name is too long for a tenant)
        byte[] fits = ("{\"slug\": \"" + slug + "\", \"name\": \"" + "n".repeat((int) limit - 100) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Answer judged = raw().send("POST", "/admin/v1/tenants", json(Tokens.admin(), fits.length), fits,
                Duration.ofSeconds(10));
        assertThat(judged.toString(), judged.status(), equalTo(400));
        assertThat(body(judged).path("code").asText(), equalTo("validation_failed"));
    }
}
