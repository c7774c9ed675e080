package io.aiaas.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where and how the local stack runs: ports (Keycloak, platform-api, worker, console, the embedded PostgreSQL), the
 * state directory, the Keycloak distribution, the shared secret. {@link #fromEnvironment()} is the one-command run
 * (fixed ports, state in .local/), {@link #forTests(Path)} the end-to-end tests (free ports, a throwaway state
 * directory).
 */
public record LocalStackSettings(
        Path repoRoot,
        Path keycloakDist,
        Path stateDir,
        String host,
        int keycloakPort,
        int apiPort,
        int workerPort,
        int consolePort,
        int postgresPort,
        String workerDevice,
        String enrolmentToken,
        Duration startTimeout) {

    public static final String REALM = "aiaas";
    public static final String REALM_FILE = "deploy/keycloak/aiaas-realm.json";
    /** The database and user inside platform-api's embedded server (io.aiaas.platform.common.database). */
    public static final String EMBEDDED_DATABASE = "aiaas";
    public static final String EMBEDDED_DATABASE_USER = "postgres";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /**
     * The one-command run: ports 8180/8080/8090/8081 (Keycloak, platform-api, worker, console) unless AIAAS_LOCAL_*
     * say otherwise, state in &lt;repo&gt;/.local.
     */
    public static LocalStackSettings fromEnvironment() {
        Map<String, String> env = System.getenv();
        Path root = findRepoRoot();
        return new LocalStackSettings(
                root,
                keycloakDistDir(root),
                Path.of(env.getOrDefault("AIAAS_LOCAL_STATE_DIR", root.resolve(".local").toString()))
                        .toAbsolutePath().normalize(),
                "127.0.0.1",
                intSetting(env, "AIAAS_LOCAL_KEYCLOAK_PORT", 8180),
                intSetting(env, "AIAAS_LOCAL_API_PORT", 8080),
                intSetting(env, "AIAAS_LOCAL_WORKER_PORT", 8090),
                intSetting(env, "AIAAS_LOCAL_CONSOLE_PORT", 8081),
                intSetting(env, "AIAAS_LOCAL_POSTGRES_PORT", 0),
                env.getOrDefault("AIAAS_LOCAL_WORKER_DEVICE", "auto"),
                randomSecret(),
                Duration.ofSeconds(intSetting(env, "AIAAS_LOCAL_START_TIMEOUT_S", 300)));
    }

    /** Free ports and the state directory given, for tests that start their own stack. */
    public static LocalStackSettings forTests(Path stateDir) {
        Path root = findRepoRoot();
        int[] ports = freePorts(5);
        return new LocalStackSettings(root, keycloakDistDir(root), stateDir.toAbsolutePath().normalize(),
                "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4], "cpu", randomSecret(),
                Duration.ofSeconds(300));
    }

    /** These settings with another Keycloak port: that of a Keycloak several stacks share. */
    public LocalStackSettings withKeycloakPort(int port) {
        return new LocalStackSettings(repoRoot, keycloakDist, stateDir, host, port, apiPort, workerPort, consolePort,
                postgresPort, workerDevice, enrolmentToken, startTimeout);
    }

    public String keycloakUrl() {
        return "http://" + host + ":" + keycloakPort;
    }

    public String realmUrl() {
        return keycloakUrl() + "/realms/" + REALM;
    }

    public String apiUrl() {
        return "http://" + host + ":" + apiPort;
    }

    public String workerUrl() {
        return "http://" + host + ":" + workerPort;
    }

    public String consoleUrl() {
        return "http://" + host + ":" + consolePort;
    }

    /**
     * The JDBC URL of the first platform-api's embedded PostgreSQL, which further replicas use as their external
     * database. Needs a known port: the server is reachable only when postgresPort is not 0.
     */
    public String embeddedDatabaseUrl() {
        if (postgresPort == 0) {
            throw new IllegalStateException("the embedded PostgreSQL has no known port (postgresPort 0): "
                    + "set AIAAS_LOCAL_POSTGRES_PORT to start more platform-api replicas");
        }
        // the server listens on localhost only, as zonky's own JDBC URL says
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + EMBEDDED_DATABASE;
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path realmFile() {
        return repoRoot.resolve(REALM_FILE);
    }

    public Path platformApiApp() {
        return repoRoot.resolve("platform-api/target/quarkus-app/quarkus-run.jar");
    }

    public Path workerApp() {
        return repoRoot.resolve("inference-worker/target/quarkus-app/quarkus-run.jar");
    }

    public Path consoleApp() {
        return repoRoot.resolve("console-ui/target/quarkus-app/quarkus-run.jar");
    }

    /** The folder of the unpacked distribution that holds bin/kc.sh. */
    public Path keycloakHome() {
        if (Files.isRegularFile(keycloakDist.resolve("bin/kc.sh"))) {
            return keycloakDist;
        }
        try (Stream<Path> children = Files.list(keycloakDist)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("bin/kc.sh")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Keycloak distribution (bin/kc.sh) under "
                            + keycloakDist + ": build deploy/local first (mvn -pl deploy/local package)"));
        } catch (IOException e) {
            throw new IllegalStateException("no Keycloak distribution at " + keycloakDist
                    + ": build deploy/local first (mvn -pl deploy/local package)", e);
        }
    }

    /** The repository root: system property aiaas.repo.root, else the first folder up from here with the realm. */
    static Path findRepoRoot() {
        String configured = Optional.ofNullable(System.getProperty("aiaas.repo.root"))
                .orElse(System.getenv("AIAAS_REPO_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(REALM_FILE))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with " + REALM_FILE
                + "); run from inside the repository or set -Daiaas.repo.root");
    }

    private static Path keycloakDistDir(Path root) {
        String configured = System.getProperty("aiaas.keycloak.dist");
        return configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath().normalize()
                : root.resolve("deploy/local/target/keycloak");
    }

    /** Distinct free ports: all are held open until the last is chosen, so none comes back twice. */
    static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free ports", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is released either way
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** 48 random letters and digits: a fresh bootstrap enrolment token per run, never written to disk. */
    static String randomSecret() {
        SecureRandom random = new SecureRandom();
        StringBuilder secret = new StringBuilder(48);
        for (int i = 0; i < 48; i++) {
            secret.append(SECRET_ALPHABET.charAt(random.nextInt(SECRET_ALPHABET.length())));
        }
        return secret.toString();
    }

    private static int intSetting(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'", e);
        }
    }
}
