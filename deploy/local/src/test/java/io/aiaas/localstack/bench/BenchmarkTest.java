package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.VerifiedToken;
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
    void environmentNamesTheMachine() {
        Map<String, String> env = Benchmark.environment();

        assertEquals(String.valueOf(Runtime.getRuntime().availableProcessors()), env.get("cpus"));
        assertTrue(env.containsKey("java") && env.containsKey("load_average_at_start"), env.toString());
    }
}
