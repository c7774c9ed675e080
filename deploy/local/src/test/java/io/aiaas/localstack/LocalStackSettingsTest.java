package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackSettingsTest {

    @Test
    void enrolmentTokenIs48LettersAndDigitsAndNewEachRun() {
        String secret = LocalStackSettings.randomSecret();
        assertEquals(48, secret.length());
        assertTrue(secret.matches("[A-Za-z0-9]{48}"), secret);
        assertNotEquals(secret, LocalStackSettings.randomSecret());
    }

    @Test
    void testSettingsUseDistinctFreePortsAndTheGivenStateDir(@TempDir Path dir) {
        LocalStackSettings settings = LocalStackSettings.forTests(dir);
        assertEquals(5, Set.of(settings.keycloakPort(), settings.apiPort(), settings.workerPort(),
                settings.consolePort(), settings.postgresPort()).size());
        assertEquals(dir.toAbsolutePath().normalize(), settings.stateDir());
        assertEquals(dir.toAbsolutePath().normalize().resolve("logs"), settings.logDir());
        assertEquals("http://127.0.0.1:" + settings.keycloakPort() + "/realms/aiaas", settings.realmUrl());
        assertEquals("http://127.0.0.1:" + settings.consolePort(), settings.consoleUrl());
        assertTrue(settings.realmFile().toFile().isFile(), "the realm file is found from the repository root");
    }

    @Test
    void startRefusesWhenTheAppsAreNotBuilt(@TempDir Path emptyRepo) {
        LocalStackSettings settings = new LocalStackSettings(emptyRepo, emptyRepo.resolve("keycloak"),
                emptyRepo.resolve("state"), "127.0.0.1", LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), 0, "cpu",
                LocalStackSettings.randomSecret(), Duration.ofSeconds(5));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalStack.start(settings, quiet, message -> { }));
        assertTrue(e.getMessage().contains("platform-api/target/quarkus-app/quarkus-run.jar is missing"),
                e.getMessage());
    }

    @Test
    void startRefusesWhenTheConsoleIsNotBuilt(@TempDir Path repo) throws IOException {
        for (String app : List.of("platform-api", "inference-worker")) {
            Path jar = repo.resolve(app + "/target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "not a jar");
        }
        LocalStackSettings settings = new LocalStackSettings(repo, repo.resolve("keycloak"), repo.resolve("state"),
                "127.0.0.1", LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), 0, "cpu",
                LocalStackSettings.randomSecret(), Duration.ofSeconds(5));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalStack.start(settings, quiet, message -> { }));
        assertTrue(e.getMessage().contains("console-ui/target/quarkus-app/quarkus-run.jar is missing"),
                e.getMessage());
    }

    @Test
    void missingKeycloakDistributionSaysHowToGetIt(@TempDir Path dir) {
        LocalStackSettings settings = new LocalStackSettings(dir, dir.resolve("nothing-here"), dir, "127.0.0.1",
                1, 2, 3, 4, 0, "cpu", "x".repeat(48), Duration.ofSeconds(5));
        IllegalStateException e = assertThrows(IllegalStateException.class, settings::keycloakHome);
        assertTrue(e.getMessage().contains("mvn -pl deploy/local package"), e.getMessage());
    }

    @Test
    void replicasReachTheEmbeddedDatabaseOnItsKnownPort(@TempDir Path dir) {
        LocalStackSettings settings = LocalStackSettings.forTests(dir);
        assertEquals("jdbc:postgresql://localhost:" + settings.postgresPort() + "/aiaas",
                settings.embeddedDatabaseUrl());
    }

    @Test
    void replicasNeedAKnownDatabasePort(@TempDir Path dir) {
        LocalStackSettings settings = new LocalStackSettings(dir, dir, dir, "127.0.0.1", 1, 2, 3, 4, 0, "cpu",
                "x".repeat(48), Duration.ofSeconds(5));
        IllegalStateException e = assertThrows(IllegalStateException.class, settings::embeddedDatabaseUrl);
        assertTrue(e.getMessage().contains("AIAAS_LOCAL_POSTGRES_PORT"), e.getMessage());
    }
}
