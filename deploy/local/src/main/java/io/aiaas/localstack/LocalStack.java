package io.aiaas.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs the whole platform on this machine as real processes: Keycloak (realm aiaas), platform-api with its embedded
 * PostgreSQL, and one inference-worker; {@link #startReplica} adds platform-api replicas on the same database.
 * {@link #main} is the one-command local run; tests call {@link #start} on free ports and close the stack when done.
 */
public final class LocalStack implements AutoCloseable {

    public static final String KEYCLOAK_ADMIN = "kcadmin";
    public static final String CLI_CLIENT = "aiaas-cli";

    private final LocalStackSettings settings;
    private final PrintStream log;
    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<String> onChildDeath;
    private final AtomicInteger replicas = new AtomicInteger(1);
    private volatile boolean closing;

    private LocalStack(LocalStackSettings settings, PrintStream log, Consumer<String> onChildDeath) {
        this.settings = settings;
        this.log = log;
        this.onChildDeath = onChildDeath;
    }

    /**
     * Starts Keycloak, platform-api and a worker, each waited for until ready. A child that dies later calls
     * {@code onChildDeath} with a message naming it and the end of its log.
     */
    public static LocalStack start(LocalStackSettings settings, PrintStream log, Consumer<String> onChildDeath) {
        LocalStack stack = new LocalStack(settings, log, onChildDeath);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public LocalStackSettings settings() {
        return settings;
    }

    public String apiUrl() {
        return settings.apiUrl();
    }

    public String workerUrl() {
        return settings.workerUrl();
    }

    public String keycloakUrl() {
        return settings.keycloakUrl();
    }

    public String internalSecret() {
        return settings.internalSecret();
    }

    public ApiClient api() {
        return new ApiClient(settings.apiUrl());
    }

    /** A realm user's access token from a password grant on the public client aiaas-cli. */
    public String userToken(String username, String password) {
        return userToken(settings.realmUrl(), username, password);
    }

    static String userToken(String realmUrl, String username, String password) {
        ApiClient.Response response = new ApiClient(realmUrl).postForm("/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", CLI_CLIENT,
                        "username", username, "password", password));
        JsonNode token = response.json().path("access_token");
        if (response.status() != 200 || !token.isTextual()) {
            throw new IllegalStateException("password grant for " + username + " failed: HTTP "
                    + response.status() + " " + response.body());
        }
        return token.asText();
    }

    /** Seeds the demo data through the public APIs (idempotent) and returns the new API key and model. */
    public DemoSeeder.Result seedDemo() {
        return new DemoSeeder(api(), this::userToken, log).seed();
    }

    private void startAll() {
        Instant begin = Instant.now();
        checkPrerequisites();
        startKeycloak();
        startPlatformApi();
        startWorker();
        log.printf("stack up in %d s%n", Duration.between(begin, Instant.now()).toSeconds());
    }

    private void checkPrerequisites() {
        for (Path app : List.of(settings.platformApiApp(), settings.workerApp())) {
            if (!Files.isRegularFile(app)) {
                throw new IllegalStateException(app + " is missing: build the apps first (mvn -B -DskipTests install)");
            }
        }
        ensurePortFree(settings.keycloakPort(), "Keycloak");
        ensurePortFree(settings.apiPort(), "platform-api");
        ensurePortFree(settings.workerPort(), "inference-worker");
    }

    private void startKeycloak() {
        Path home = settings.keycloakHome();
        Path importDir = home.resolve("data/import");
        Path dbDir = settings.stateDir().resolve("keycloak");
        try {
            Files.createDirectories(importDir);
            Files.createDirectories(dbDir);
            // the import reads data/import/*.json; a realm that already exists is left as it is
            Files.copy(settings.realmFile(), importDir.resolve("aiaas-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Keycloak under " + home + ": " + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KEYCLOAK_ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KEYCLOAK_ADMIN);
        List<String> command = List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port", String.valueOf(settings.keycloakPort()),
                "--http-host", settings.host(),
                "--import-realm",
                // the state lives with the stack, not in the shared distribution folder
                "--db-url=jdbc:h2:file:" + dbDir.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE");
        launch("keycloak", command, env, home, settings.realmUrl() + "/.well-known/openid-configuration");
    }

    private void startPlatformApi() {
        Path dir = settings.stateDir().resolve("platform-api");
        Map<String, String> env = platformApiEnv(settings.apiPort());
        env.put("AIAAS_EMBEDDED_POSTGRES_DATA_DIR", dir.resolve("postgres").toString());
        env.put("AIAAS_EMBEDDED_POSTGRES_PORT", String.valueOf(settings.postgresPort()));
        launch("platform-api", javaJar(settings.platformApiApp()), env, dir,
                settings.apiUrl() + "/q/health/ready");
    }

    /**
     * Starts one more platform-api replica on a free port and waits until it is ready: the same internal-auth
     * secret, artifact directory and Keycloak as the first, and the first one's embedded PostgreSQL as its external
     * database, given only through the standard Quarkus datasource settings. It logs to
     * {@code platform-api-<n>.log} (n = 2, 3, ...) and is stopped by {@link #close()}.
     *
     * @return the replica's base URL
     */
    public String startReplica() {
        String databaseUrl = settings.embeddedDatabaseUrl();
        int replica = replicas.incrementAndGet();
        int port = LocalStackSettings.freePort();
        String url = "http://" + settings.host() + ":" + port;
        Map<String, String> env = platformApiEnv(port);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", databaseUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", LocalStackSettings.EMBEDDED_DATABASE_USER);
        // the embedded server trusts local connections; an empty value is what the first replica uses too
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        String name = "platform-api-" + replica;
        launch(name, javaJar(settings.platformApiApp()), env, settings.stateDir().resolve(name),
                url + "/q/health/ready");
        return url;
    }

    /** What every platform-api replica shares: Keycloak, the internal secret, the artifact directory. */
    private Map<String, String> platformApiEnv(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", settings.host());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", settings.realmUrl());
        env.put("AIAAS_INTERNAL_AUTH_SECRET", settings.internalSecret());
        env.put("AIAAS_STORAGE_DIR", settings.stateDir().resolve("platform-api/artifacts").toString());
        return env;
    }

    private void startWorker() {
        Path dir = settings.stateDir().resolve("inference-worker");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(settings.workerPort()));
        env.put("QUARKUS_HTTP_HOST", settings.host());
        env.put("AIAAS_INTERNAL_AUTH_SECRET", settings.internalSecret());
        env.put("AIAAS_WORKER_NAME", "local-worker-1");
        env.put("AIAAS_WORKER_ADVERTISED_URL", settings.workerUrl());
        env.put("AIAAS_WORKER_CONTROL_PLANE_URL", settings.apiUrl());
        env.put("AIAAS_WORKER_CACHE_DIR", dir.resolve("cache").toString());
        env.put("AIAAS_WORKER_DEVICE", settings.workerDevice());
        launch("inference-worker", javaJar(settings.workerApp()), env, dir,
                settings.workerUrl() + "/q/health/ready");
    }

    private static List<String> javaJar(Path jar) {
        // the same JVM as the launcher, so a JDK 17 on the PATH is all the machine needs
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-jar", jar.toString());
    }

    private void launch(String name, List<String> command, Map<String, String> env, Path workDir, String readyUrl) {
        Path logFile = settings.logDir().resolve(name + ".log");
        log.printf("starting %-16s log: %s%n", name, logFile);
        Instant begin = Instant.now();
        ChildProcess child = ChildProcess.start(name, command, env, workDir, logFile);
        children.add(child);
        child.onExit().thenRun(() -> {
            // Ctrl-C reaches the children too (same process group): give the shutdown hook time to say so
            Readiness.sleep(1000);
            if (!closing) {
                onChildDeath.accept(name + " (pid " + child.pid() + ") exited with code " + child.exitValue()
                        + "; last lines of " + logFile + ":" + System.lineSeparator() + child.logTail(30));
            }
        });
        Readiness.await(name, readyUrl, child, settings.startTimeout());
        log.printf("%-16s ready in %d s at %s%n", name, Duration.between(begin, Instant.now()).toSeconds(),
                readyUrl.substring(0, readyUrl.indexOf('/', "http://".length())));
    }

    private static void ensurePortFree(int port, String name) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name
                    + " is in use: is another stack running? (stop it, or set AIAAS_LOCAL_*_PORT)");
        }
    }

    /** Stops the children in reverse order of start. */
    @Override
    public void close() {
        closing = true;
        List<ChildProcess> reversed = new ArrayList<>(children);
        Collections.reverse(reversed);
        for (ChildProcess child : reversed) {
            if (child.isAlive()) {
                log.printf("stopping %s (pid %d)%n", child.name(), child.pid());
            }
            child.close();
        }
    }

    /** The one-command local run: start, seed, print how to call it, run until Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        LocalStackSettings settings = LocalStackSettings.fromEnvironment();
        Object stopped = new Object();
        LocalStack[] holder = new LocalStack[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (holder[0] != null) {
                holder[0].close();
            }
        }, "local-stack-shutdown"));
        LocalStack stack;
        try {
            stack = start(settings, out, message -> {
                System.err.println("ERROR: " + message);
                System.err.println("stopping everything");
                // System.exit runs the shutdown hook, which stops the other children
                new Thread(() -> System.exit(1), "local-stack-exit").start();
            });
        } catch (RuntimeException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
            return;
        }
        holder[0] = stack;
        try {
            DemoSeeder.Result demo = stack.seedDemo();
            Banner.print(out, settings, demo);
        } catch (RuntimeException e) {
            System.err.println("ERROR: seeding the demo data failed: " + e.getMessage());
            System.err.println("logs: " + settings.logDir());
            System.exit(1);
        }
        synchronized (stopped) {
            stopped.wait();
        }
    }
}
