package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.Jwks;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.internalauth.VerifiedToken;
import io.aiaas.localstack.Json;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkTest {

    @Test
    void workerTokensPassTheWorkersOwnCheck() {
        SigningKey controlPlane = SigningKey.generate();
        String worker = "5f0c8a4e-1111-4222-8333-444455556666";
        String token = Benchmark.workerTokens(controlPlane, worker).token();

        Jwks published = Jwks.of(List.of(controlPlane.publicKey()));
        VerifiedToken verified = new InternalTokens().verify(token, published, worker, Issuers.PLATFORM);
        assertEquals("benchmark", verified.subject());
        assertThrows(InvalidTokenException.class, () -> new InternalTokens().verify(token, published,
                "another-worker", Issuers.PLATFORM));
        assertThrows(InvalidTokenException.class, () -> new InternalTokens().verify(token,
                Jwks.of(List.of(SigningKey.generate().publicKey())), worker, Issuers.PLATFORM));
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

    @Test
    void theWorkerBatchesOnlyTheModelsSecondNamesAndOnlyWhenAsked() {
        List<BenchModel> models = List.of(BenchModel.named("iris"), BenchModel.named("mlp"));
        BenchOptions on = BenchOptions.parse(new String[] {"--batching", "off,on", "--batch-delay-us", "300"},
                Path.of("out"));

        List<String> jvm = new Benchmark(on, System.out).workerBatching(models);

        assertEquals(List.of("-Daiaas.worker.batching.\"bench-iris-batched\".enabled=true",
                "-Daiaas.worker.batching.\"bench-iris-batched\".max-batch-size=32",
                "-Daiaas.worker.batching.\"bench-iris-batched\".max-queue-delay-us=300",
                "-Daiaas.worker.batching.\"bench-mlp-batched\".enabled=true",
                "-Daiaas.worker.batching.\"bench-mlp-batched\".max-batch-size=32",
                "-Daiaas.worker.batching.\"bench-mlp-batched\".max-queue-delay-us=300"), jvm);
        assertEquals("bench-mlp", models.get(1).servedName(false));
        assertEquals("bench-mlp-batched", models.get(1).servedName(true));
        assertTrue(new Benchmark(BenchOptions.parse(new String[0], Path.of("out")), System.out)
                .workerBatching(models).isEmpty());
    }

    @Test
    void theGrpcTargetIsMadeInOnePlace() {
        Targets.Checked grpc = Targets.grpc(new Targets.GrpcCall("control-plane+billing/grpc", "http://127.0.0.1:1",
                "iris", "aiaas_x", io.aiaas.engine.Tensor.ofFp32("x", new long[] {1, 4}, new float[4]), true));
        assertEquals("control-plane+billing/grpc", grpc.name());
        ((GrpcTarget) grpc).close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpTarget.controlPlane(
                "http://127.0.0.1:1", "iris", "aiaas_x", new HttpTarget.Body(Protocol.GRPC, new byte[0], -1)));
        assertTrue(e.getMessage().contains("Targets.grpc"), e.getMessage());
        assertEquals("worker/binary", HttpTarget.worker("http://127.0.0.1:1", "iris", 1, () -> "t",
                HttpTarget.Body.binary(new BenchModel.BinaryBody(new byte[2], 1))).name());
    }
}
