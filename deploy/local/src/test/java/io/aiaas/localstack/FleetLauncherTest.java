package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher gained for fleet tests: topologies, SIGTERM without a wait, tokens without Keycloak. */
class FleetLauncherTest {

    @Test
    void terminateSendsSigtermOnlyAndReturnsBeforeTheChildExits(@TempDir Path dir) throws Exception {
        // a child that takes its time to shut down on SIGTERM, as a draining worker does
        ChildProcess child = ChildProcess.start("draining", List.of("bash", "-c",
                "trap 'echo got-term; sleep 1; exit 7' TERM; echo started; while true; do sleep 0.1; done"),
                Map.of(), dir, dir.resolve("d.log"));
        for (int i = 0; i < 50 && !child.logTail(1).contains("started"); i++) {
            Thread.sleep(100);
        }
        long begin = System.nanoTime();

        CompletableFuture<Integer> exit = child.terminate();

        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) < 500, "returns without waiting");
        assertTrue(child.stopRequested(), "an intended exit, not a death to report");
        assertEquals(7, exit.get(10, TimeUnit.SECONDS), "the child's own exit code: no SIGKILL cut it short");
        assertFalse(child.isAlive());
        assertTrue(child.logTail(5).contains("got-term"), "the child saw SIGTERM: " + child.logTail(5));
    }

    @Test
    void topologyRefusesNoWorkersAndAConsoleWithoutKeycloak() {
        assertThrows(IllegalArgumentException.class, () -> LocalStack.Topology.fleet(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LocalStack.Topology(1, false, true, List.of()));
        assertTrue(e.getMessage().contains("Keycloak"), e.getMessage());
        assertEquals(new LocalStack.Topology(1, true, true, List.of()), LocalStack.Topology.full());
        assertEquals(new LocalStack.Topology(3, false, false, List.of()), LocalStack.Topology.fleet(3));
        assertThrows(IllegalArgumentException.class, () -> new LocalStack.Topology(1, false, false, List.of(), true));
        assertEquals(new LocalStack.Topology(1, true, true, List.of(), true),
                LocalStack.Topology.full().withSharedKeycloak());
        assertFalse(LocalStack.Topology.full().sharedKeycloak());
    }

    @Test
    void aStackSharingKeycloakNeitherStartsItNorNeedsItsPort(@TempDir Path repo) throws IOException {
        for (String app : List.of("platform-api", "inference-worker", "console-ui")) {
            Path jar = repo.resolve(app + "/target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "not a jar");
        }
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // the shared Keycloak's port is taken (by this socket, standing in for it)
        try (ServerSocket keycloak = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalStackSettings settings = new LocalStackSettings(repo, repo.resolve("no-keycloak"),
                    repo.resolve("state"), "127.0.0.1", keycloak.getLocalPort(), LocalStackSettings.freePort(),
                    LocalStackSettings.freePort(), LocalStackSettings.freePort(), 0, "cpu",
                    LocalStackSettings.randomSecret(), Duration.ofSeconds(20));
            IllegalStateException own = assertThrows(IllegalStateException.class,
                    () -> LocalStack.start(settings, LocalStack.Topology.full(), quiet, message -> { }));
            assertTrue(own.getMessage().contains("for Keycloak is in use"), own.getMessage());

            IllegalStateException shared = assertThrows(IllegalStateException.class, () -> LocalStack.start(settings,
                    LocalStack.Topology.full().withSharedKeycloak(), quiet, message -> { }));
            assertTrue(shared.getMessage().startsWith("platform-api exited"), shared.getMessage());
            assertFalse(Files.exists(settings.logDir().resolve("keycloak.log")), "Keycloak was not started");
        }
    }

    @Test
    void fleetTopologyNeedsNeitherTheConsoleNorKeycloak(@TempDir Path repo) throws IOException {
        // the apps are "built" but are no jars: the start gets past the checks and fails on platform-api itself
        for (String app : List.of("platform-api", "inference-worker")) {
            Path jar = repo.resolve(app + "/target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "not a jar");
        }
        LocalStackSettings settings = new LocalStackSettings(repo, repo.resolve("no-keycloak"), repo.resolve("state"),
                "127.0.0.1", LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), 0, "cpu",
                LocalStackSettings.randomSecret(), Duration.ofSeconds(20));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalStack.start(settings, LocalStack.Topology.fleet(3), quiet, message -> { }));
        assertTrue(e.getMessage().startsWith("platform-api exited"), e.getMessage());
        assertFalse(Files.exists(settings.logDir().resolve("keycloak.log")), "Keycloak was not started");
        assertFalse(Files.exists(settings.logDir().resolve("console-ui.log")), "the console was not started");
    }

    @Test
    void mintedTokenIsSignedByTheIssuersKeyAndCarriesKeycloaksClaims() throws Exception {
        LocalTokenIssuer issuer = LocalTokenIssuer.generate();
        String token = issuer.token("admin", List.of("platform-admin"), Duration.ofMinutes(5));

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, token);
        // the key as platform-api reads it from quarkus.oidc.public-key
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(issuer.publicKeyBase64())));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "RS256 signature verifies");
        JsonNode header = Json.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        JsonNode claims = Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertEquals("RS256", header.path("alg").asText());
        assertEquals("local-admin", claims.path("sub").asText());
        assertEquals("admin", claims.path("preferred_username").asText());
        assertEquals("platform-admin", claims.path("realm_access").path("roles").path(0).asText());
        long exp = claims.path("exp").asLong();
        assertTrue(exp > Instant.now().plusSeconds(290).getEpochSecond()
                && exp <= Instant.now().plusSeconds(300).getEpochSecond(), "expires in 5 minutes: " + exp);

        LocalTokenIssuer other = LocalTokenIssuer.generate();
        rs256.initVerify(other.publicKey());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertFalse(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "another stack's key does not verify it");
    }
}
