package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.VerifiedToken;
import io.aiaas.localstack.Json;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkTest {

    private static final String SECRET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";

    @Test
    void workerTokensPassTheWorkersOwnCheck() {
        String token = Benchmark.workerTokens(SECRET).token();

        VerifiedToken verified = new InternalTokens(SECRET).verify(token, Audiences.WORKER, Issuers.PLATFORM);
        assertEquals("benchmark", verified.subject());
        assertThrows(InvalidTokenException.class,
                () -> new InternalTokens(SECRET.replace('0', '1')).verify(token, Audiences.WORKER));
    }

    @Test
    void onlyLoopbackAddressesAreCalled() {
        assertTrue(HttpTarget.isLoopback(URI.create("http://127.0.0.1:8080/v2")));
        assertTrue(HttpTarget.isLoopback(URI.create("http://localhost:8090/v2")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpTarget.controlPlane("http://10.0.0.5:8080", "iris", "aiaas_x", new byte[0]));
        assertTrue(e.getMessage().contains("only calls loopback"), e.getMessage());
    }

    @Test
    void billingPlanChecksEveryLimitKindAndPricesThreeComponentsButRefusesNothing() {
        JsonNode plan = Json.parse(Benchmark.BILLING_PLAN);

        JsonNode rates = plan.path("rate_limits");
        assertTrue(rates.path("requests_per_minute_per_key").asLong() >= 1_000_000, rates.toString());
        assertTrue(rates.path("requests_per_minute_per_tenant").asLong() >= 1_000_000, rates.toString());
        assertTrue(rates.path("max_concurrent_requests").asInt() > BenchOptions.MAX_CONCURRENCY, rates.toString());
        assertEquals("hard", plan.path("quotas").get(0).path("enforcement").asText());
        assertEquals("hard", plan.path("budget").path("enforcement").asText());
        JsonNode price = plan.path("prices").get(0);
        for (String component : new String[] {"per_1k_requests", "per_1k_items", "per_compute_second"}) {
            assertTrue(price.path(component).path("tiers").get(0).path("unit_micros").asLong() > 0, component);
        }
        assertEquals(Benchmark.BILLING_CURRENCY, plan.path("currency").asText());
        assertEquals(Target.CONTROL_PLANE_BILLING, HttpTarget.controlPlaneBilled("http://127.0.0.1:1", "iris",
                "aiaas_x", "USD", new byte[0]).name());
    }

    @Test
    void environmentNamesTheMachine() {
        Map<String, String> env = Benchmark.environment();

        assertEquals(String.valueOf(Runtime.getRuntime().availableProcessors()), env.get("cpus"));
        assertTrue(env.containsKey("java") && env.containsKey("load_average_at_start"), env.toString());
    }
}
