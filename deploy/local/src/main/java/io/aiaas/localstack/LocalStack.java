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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the whole platform on this machine as real processes: Keycloak (realm aiaas), platform-api with its embedded
 * PostgreSQL, one inference-worker and the console (console-ui); {@link #startReplica} adds platform-api replicas on
 * the same database, {@link #startWorker} more workers. A {@link Topology} may ask for several workers and leave out
 * Keycloak and the console; platform-api then verifies tokens that the launcher signs itself ({@link #mintToken}).
 * {@link #main} is the one-command local run; tests call {@link #start} on free ports and close the stack when done,
 * and may {@link #kill}, {@link #stop}, {@link #terminate} and {@link #restart} a named child on the way.
 */
public final class LocalStack implements AutoCloseable {

    public static final String KEYCLOAK_ADMIN = "kcadmin";
    public static final String CLI_CLIENT = "aiaas-cli";

    private final LocalStackSettings settings;
    private final PrintStream log;
    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
    /** The current process and the way it was started, by child name, for kill, stop and restart. */
    private final Map<String, ChildProcess> byName = new ConcurrentHashMap<>();
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private final Consumer<String> onChildDeath;
    private final List<String> workerJvmOptions;
    private final Topology topology;
    /** Signs user tokens when there is no Keycloak; null when there is. */
    private final LocalTokenIssuer tokens;
    private final AtomicInteger replicas = new AtomicInteger(1);
    private final AtomicInteger workerCount = new AtomicInteger();
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    /** How a child was started, so that it can be started again exactly so. */
    private record Launch(String name, List<String> command, Map<String, String> env, Path workDir, int port,
            String readyUrl) {
    }

    /** A platform-api replica started by {@link #startReplica(Map, List)}: its child name (also its log's), URL, port. */
    public record Replica(String name, String url, int port) {
    }

    /**
     * A worker: its child name (for {@link #kill}, {@link #stop}, {@link #terminate}; also its log's), the name it
     * registers with at the control plane, its URL and port. The first is {@code inference-worker} on the settings'
     * worker port; the n-th is {@code inference-worker-<n>} on a free port.
     */
    public record Worker(String name, String workerName, String url, int port) {
    }

    /**
     * What {@link #start(LocalStackSettings, Topology, PrintStream, Consumer)} starts besides platform-api: how many
     * workers (with JVM options for each), and whether Keycloak and the console run. Without Keycloak, platform-api
     * verifies tokens signed by the launcher (its public key in {@code quarkus.oidc.public-key}), which saves the
     * slowest start of the stack; the console needs Keycloak's login page, so it runs only with it. With
     * {@code sharedKeycloak}, Keycloak already runs at the settings' port ({@link #keycloakAlone}) and the stack uses
     * it without starting or stopping it: the end-to-end test suites share one, which saves its start in each.
     */
    public record Topology(int workers, boolean keycloak, boolean console, List<String> workerJvmOptions,
            boolean sharedKeycloak) {

        public Topology {
            if (workers < 1) {
                throw new IllegalArgumentException("a stack needs at least one worker, not " + workers);
            }
            if (console && !keycloak) {
                throw new IllegalArgumentException("the console signs in through Keycloak: it cannot run without it");
            }
            if (sharedKeycloak && !keycloak) {
                throw new IllegalArgumentException("a stack without Keycloak cannot share one");
            }
            workerJvmOptions = List.copyOf(workerJvmOptions);
        }

        /** A topology that starts its own Keycloak when it has one. */
        public Topology(int workers, boolean keycloak, boolean console, List<String> workerJvmOptions) {
            this(workers, keycloak, console, workerJvmOptions, false);
        }

        /** The same, using the Keycloak already running at the settings' port instead of starting one. */
        public Topology withSharedKeycloak() {
            return new Topology(workers, true, console, workerJvmOptions, true);
        }

        /** The one-command run: Keycloak, platform-api, one worker, the console. */
        public static Topology full() {
            return new Topology(1, true, true, List.of());
        }

        /** platform-api and {@code workers} workers, nothing else: user tokens come from {@link #mintToken}. */
        public static Topology fleet(int workers) {
            return new Topology(workers, false, false, List.of());
        }
    }

    private LocalStack(LocalStackSettings settings, Topology topology, PrintStream log,
                       Consumer<String> onChildDeath) {
        this.settings = settings;
        this.topology = topology;
        this.workerJvmOptions = topology.workerJvmOptions();
        this.tokens = topology.keycloak() ? null : LocalTokenIssuer.generate();
        this.log = log;
        this.onChildDeath = onChildDeath;
    }

    /**
     * Starts Keycloak, platform-api, a worker and the console, each waited for until ready. A child that dies later calls
     * {@code onChildDeath} with a message naming it and the end of its log.
     */
    public static LocalStack start(LocalStackSettings settings, PrintStream log, Consumer<String> onChildDeath) {
        return start(settings, List.of(), log, onChildDeath);
    }

    /**
     * {@link #start(LocalStackSettings, PrintStream, Consumer)} with JVM options for the worker, such as
     * {@code -Daiaas.worker.batching."<model>".enabled=true} (a quoted model name cannot be spelled as an
     * environment variable).
     */
    public static LocalStack start(LocalStackSettings settings, List<String> workerJvmOptions, PrintStream log,
                                   Consumer<String> onChildDeath) {
        return start(settings, new Topology(1, true, true, workerJvmOptions), log, onChildDeath);
    }

    /**
     * Starts what the topology asks for, each child waited for until ready; the workers start side by side. A child
     * that dies later calls {@code onChildDeath} as in {@link #start(LocalStackSettings, PrintStream, Consumer)}.
     */
    public static LocalStack start(LocalStackSettings settings, Topology topology, PrintStream log,
                                   Consumer<String> onChildDeath) {
        LocalStack stack = new LocalStack(settings, topology, log, onChildDeath);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * Starts Keycloak alone at the settings' port, waited for until ready, for stacks that share it
     * ({@link Topology#withSharedKeycloak()}); closing the answer stops it. Of the stack answered, only
     * {@link #keycloakUrl()}, {@link #isAlive(String) isAlive("keycloak")}, {@link #diagnostics} and {@link #close()}
     * mean anything.
     */
    public static LocalStack keycloakAlone(LocalStackSettings settings, PrintStream log,
                                           Consumer<String> onChildDeath) {
        LocalStack stack = new LocalStack(settings, Topology.full(), log, onChildDeath);
        try {
            ensurePortFree(settings.keycloakPort(), "Keycloak");
            stack.startKeycloak().run();
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

    /** The first worker's base URL. */
    public String workerUrl() {
        return settings.workerUrl();
    }

    /** Every worker started so far, in order of start (killed and stopped ones included). */
    public List<Worker> workers() {
        return List.copyOf(workers);
    }

    public String keycloakUrl() {
        return settings.keycloakUrl();
    }

    /** The console's base URL; its pages sign in through Keycloak's login page. */
    public String consoleUrl() {
        return settings.consoleUrl();
    }

    /**
     * The control plane's signing key (the file every replica reads): tools that call the worker directly, as the
     * control plane does, sign with it.
     */
    public io.aiaas.internalauth.SigningKey signingKey() {
        try {
            return io.aiaas.internalauth.SigningKey.fromPkcs8Pem(java.nio.file.Files.readString(signingKeyFile()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The identity id the first worker enrolled under: the audience of the control plane's tokens to it. Waits up to 30 s
     * for the enrolment, which the worker does in the background after it started.
     */
    public String workerIdentityId() {
        Path file = workerIdentityDir("inference-worker").resolve("identity.json");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return Json.parse(java.nio.file.Files.readString(file)).get("identity_id").asText();
            } catch (java.io.IOException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the worker has not enrolled within 30 s (" + file + ")", e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private Path workerIdentityDir(String workerDir) {
        return settings.stateDir().resolve(workerDir).resolve("identity");
    }

    /**
     * The control plane's signing key, kept with the database it belongs to: written once (mode 600) when missing,
     * the same file for every replica (docs/internal-auth.md).
     */
    private synchronized Path signingKeyFile() {
        Path file = settings.stateDir().resolve("platform-api").resolve("signing-key.pem");
        try {
            if (!java.nio.file.Files.exists(file)) {
                java.nio.file.Files.createDirectories(file.getParent());
                Path temp = file.resolveSibling("signing-key.pem.tmp");
                java.nio.file.Files.deleteIfExists(temp);
                java.nio.file.Files.createFile(temp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                java.nio.file.Files.writeString(temp, io.aiaas.internalauth.SigningKey.generate().toPkcs8Pem());
                java.nio.file.Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    public ApiClient api() {
        return new ApiClient(settings.apiUrl());
    }

    /** A realm user's access token from a password grant on the public client aiaas-cli. */
    public String userToken(String username, String password) {
        if (tokens != null) {
            throw new IllegalStateException("this stack runs without Keycloak: use mintToken for a user token");
        }
        return userToken(settings.realmUrl(), username, password);
    }

    /**
     * A platform admin's token: the realm user admin's from Keycloak, or one the launcher signs when the stack runs
     * without Keycloak.
     */
    public String platformAdminToken() {
        return tokens == null ? userToken("admin", "admin")
                : mintToken("admin", List.of("platform-admin"), Duration.ofHours(1));
    }

    /**
     * A user token signed by the launcher (subject {@code local-<username>}, e-mail {@code <username>@local.test},
     * verified) with the realm roles given; only for a stack without Keycloak, whose platform-api trusts this
     * launcher's key and no other.
     */
    public String mintToken(String username, List<String> realmRoles, Duration ttl) {
        if (tokens == null) {
            throw new IllegalStateException("this stack runs Keycloak, which alone issues its tokens: use userToken");
        }
        return tokens.token(username, realmRoles, ttl);
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
        // Keycloak is the slowest to start and nothing waits for it at start-up (platform-api reaches it lazily,
        // the worker never): it gets going first and is waited for last.
        Runnable keycloakReady = topology.keycloak() && !topology.sharedKeycloak() ? startKeycloak() : () -> { };
        // the console needs neither to be ready (it calls both only for a signed-in page): it starts alongside too
        Runnable consoleReady = topology.console() ? startConsole() : () -> { };
        startPlatformApi();
        startWorkers(topology.workers());
        consoleReady.run();
        keycloakReady.run();
        log.printf("stack up in %d s%n", Duration.between(begin, Instant.now()).toSeconds());
    }

    private void checkPrerequisites() {
        List<Path> apps = new ArrayList<>(List.of(settings.platformApiApp(), settings.workerApp()));
        if (topology.console()) {
            apps.add(settings.consoleApp());
        }
        for (Path app : apps) {
            if (!Files.isRegularFile(app)) {
                throw new IllegalStateException(app + " is missing: build the apps first (mvn -B -DskipTests install)");
            }
        }
        if (topology.keycloak() && !topology.sharedKeycloak()) {
            ensurePortFree(settings.keycloakPort(), "Keycloak");
        }
        ensurePortFree(settings.apiPort(), "platform-api");
        ensurePortFree(settings.workerPort(), "inference-worker");
        if (topology.console()) {
            ensurePortFree(settings.consolePort(), "console-ui");
        }
    }

    /** Starts Keycloak and answers what waits until it is ready. */
    private Runnable startKeycloak() {
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
        return launchUnready(new Launch("keycloak", command, env, home, settings.keycloakPort(),
                settings.realmUrl() + "/.well-known/openid-configuration"));
    }

    private void startPlatformApi() {
        Path dir = settings.stateDir().resolve("platform-api");
        Map<String, String> env = platformApiEnv(settings.apiPort());
        env.put("AIAAS_EMBEDDED_POSTGRES_DATA_DIR", dir.resolve("postgres").toString());
        env.put("AIAAS_EMBEDDED_POSTGRES_PORT", String.valueOf(settings.postgresPort()));
        launch(new Launch("platform-api", javaJar(List.of(), settings.platformApiApp()), env, dir, settings.apiPort(),
                settings.apiUrl() + "/q/health/ready"));
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
        return startReplica(Map.of(), List.of()).url();
    }

    /**
     * {@link #startReplica()} with extra environment variables (settings such as {@code AIAAS_API_KEYS_CACHE_TTL},
     * which win over the shared ones) and extra JVM options placed before {@code -jar} (such as {@code -Xmx96m}).
     * Safe to call from several threads at once.
     */
    public Replica startReplica(Map<String, String> extraEnv, List<String> jvmOptions) {
        String databaseUrl = settings.embeddedDatabaseUrl();
        int replica = replicas.incrementAndGet();
        int port = LocalStackSettings.freePort();
        String url = "http://" + settings.host() + ":" + port;
        Map<String, String> env = platformApiEnv(port);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", databaseUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", LocalStackSettings.EMBEDDED_DATABASE_USER);
        // the embedded server trusts local connections; an empty value is what the first replica uses too
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.putAll(extraEnv);
        String name = "platform-api-" + replica;
        ensurePortFree(port, name);
        launch(new Launch(name, javaJar(jvmOptions, settings.platformApiApp()), env, settings.stateDir().resolve(name),
                port, url + "/q/health/ready"));
        return new Replica(name, url, port);
    }

    /**
     * Kills a child with SIGKILL (no shutdown of any kind) and waits until it is gone. Intended, so the death
     * callback is not called; {@link #restart} starts it again.
     */
    public void kill(String name) {
        ChildProcess child = child(name);
        log.printf("killing %s (pid %d) with SIGKILL%n", name, child.pid());
        child.kill();
    }

    /**
     * Sends SIGTERM to a child and returns at once, without the SIGKILL that {@link #stop} sends after its grace
     * period: the child shuts down as it sees fit (a worker drains). Intended, so no death callback.
     *
     * @return completes with the exit code when the process is gone
     */
    public CompletableFuture<Integer> terminate(String name) {
        ChildProcess child = child(name);
        log.printf("sending SIGTERM to %s (pid %d)%n", name, child.pid());
        return child.terminate();
    }

    /** Stops a child in order (SIGTERM, SIGKILL after a grace period); intended, so no death callback. */
    public void stop(String name) {
        ChildProcess child = child(name);
        if (child.isAlive()) {
            log.printf("stopping %s (pid %d)%n", name, child.pid());
        }
        child.close();
    }

    /**
     * Starts a stopped or killed child again with the same command, environment and port, appending to the same
     * log, and waits until it is ready.
     */
    public void restart(String name) {
        Launch launch = launches.get(name);
        if (launch == null) {
            throw new IllegalArgumentException("no child named " + name + "; known: " + launches.keySet());
        }
        if (child(name).isAlive()) {
            throw new IllegalStateException(name + " is still running: stop or kill it first");
        }
        ensurePortFree(launch.port(), name);
        Path logFile = settings.logDir().resolve(name + ".log");
        try {
            Files.writeString(logFile, System.lineSeparator() + "---- restarted by the launcher at " + Instant.now()
                    + " ----" + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.printf("cannot mark the restart in %s: %s%n", logFile, e.getMessage());
        }
        launch(launch);
    }

    /** How many lines of a child's log (all its runs) contain the text: a figure for a test, such as broken calls. */
    public long logLines(String name, String text) {
        Path logFile = settings.logDir().resolve(name + ".log");
        try (Stream<String> lines = Files.lines(logFile)) {
            return lines.filter(line -> line.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot read " + logFile + ": " + e.getMessage(), e);
        }
    }

    /** The process id of a child's current process. */
    public long pid(String name) {
        return child(name).pid();
    }

    public boolean isAlive(String name) {
        return child(name).isAlive();
    }

    /**
     * For a failed test: every child with its pid, whether it runs or how it exited, and the last lines of its log.
     */
    public String diagnostics(int lines) {
        StringBuilder out = new StringBuilder();
        List<ChildProcess> all;
        synchronized (children) {
            all = new ArrayList<>(children);
        }
        for (ChildProcess child : all) {
            out.append("==== ").append(child.name()).append(" (pid ").append(child.pid()).append(", ")
                    .append(child.isAlive() ? "running" : "exited with code " + child.exitValue()
                            + (child.stopRequested() ? ", stopped on purpose" : ""))
                    .append("), last lines of ").append(child.logFile()).append(':').append(System.lineSeparator())
                    .append(child.logTail(lines)).append(System.lineSeparator());
        }
        return out.toString();
    }

    private ChildProcess child(String name) {
        ChildProcess child = byName.get(name);
        if (child == null) {
            throw new IllegalArgumentException("no child named " + name + "; known: " + byName.keySet());
        }
        return child;
    }

    /** What every platform-api replica shares: Keycloak, the internal-auth key and bootstrap token, the artifact directory. */
    private Map<String, String> platformApiEnv(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", settings.host());
        if (tokens == null) {
            env.put("QUARKUS_OIDC_AUTH_SERVER_URL", settings.realmUrl());
        } else {
            // no Keycloak: the launcher's tokens, checked with its public key; the empty value unsets the server URL
            // of application.properties, so no OIDC server is looked for
            env.put("QUARKUS_OIDC_AUTH_SERVER_URL", "");
            env.put("QUARKUS_OIDC_PUBLIC_KEY", tokens.publicKeyBase64());
        }
        // internal auth: the control plane's key file, and the bootstrap token the workers enrol with
        env.put("AIAAS_INTERNAL_AUTH_SIGNING_KEY_FILE", signingKeyFile().toString());
        env.put("AIAAS_WORKERS_ENROLMENT_BOOTSTRAP_TOKEN", settings.enrolmentToken());
        env.put("AIAAS_STORAGE_DIR", settings.stateDir().resolve("platform-api/artifacts").toString());
        // a local run serves one developer on 127.0.0.1: their webhook receiver runs on the same machine
        env.put("AIAAS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true");
        // invoices name their issuer; a demo one unless the operator's environment names the real one
        if (System.getenv("AIAAS_BILLING_ISSUER_LEGAL_NAME") == null) {
            env.put("AIAAS_BILLING_ISSUER_LEGAL_NAME", "aiaas local demo");
            env.put("AIAAS_BILLING_ISSUER_COUNTRY", "DE");
        }
        return env;
    }

    /** Starts the workers side by side and waits until every one is ready. */
    private void startWorkers(int count) {
        List<Runnable> ready = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ready.add(launchWorker(nextWorker(), Map.of()));
        }
        ready.forEach(Runnable::run);
    }

    /**
     * Starts one more worker ({@code inference-worker-<n>}, registered as {@code local-worker-<n>}) on a free port,
     * with the stack's worker JVM options and these extra environment variables (which win over the shared ones),
     * and waits until it is ready. It registers with the first platform-api and is stopped by {@link #close()}.
     */
    public Worker startWorker(Map<String, String> extraEnv) {
        Worker worker = nextWorker();
        launchWorker(worker, extraEnv).run();
        return worker;
    }

    /** The next worker's names, URL and port: the first on the settings' worker port, later ones on free ports. */
    private Worker nextWorker() {
        int index = workerCount.incrementAndGet();
        if (index == 1) {
            return new Worker("inference-worker", "local-worker-1", settings.workerUrl(), settings.workerPort());
        }
        int port = LocalStackSettings.freePort();
        return new Worker("inference-worker-" + index, "local-worker-" + index,
                "http://" + settings.host() + ":" + port, port);
    }

    private Runnable launchWorker(Worker worker, Map<String, String> extraEnv) {
        if (!worker.name().equals("inference-worker")) {
            ensurePortFree(worker.port(), worker.name());
        }
        Path dir = settings.stateDir().resolve(worker.name());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(worker.port()));
        env.put("QUARKUS_HTTP_HOST", settings.host());
        env.put("AIAAS_WORKER_ENROLMENT_TOKEN", settings.enrolmentToken());
        env.put("AIAAS_WORKER_IDENTITY_DIR", workerIdentityDir(worker.name()).toString());
        env.put("AIAAS_WORKER_NAME", worker.workerName());
        env.put("AIAAS_WORKER_ADVERTISED_URL", worker.url());
        env.put("AIAAS_WORKER_CONTROL_PLANE_URL", settings.apiUrl());
        env.put("AIAAS_WORKER_CACHE_DIR", dir.resolve("cache").toString());
        env.put("AIAAS_WORKER_DEVICE", settings.workerDevice());
        env.putAll(extraEnv);
        Runnable ready = launchUnready(new Launch(worker.name(), javaJar(workerJvmOptions, settings.workerApp()), env,
                dir, worker.port(), worker.url() + "/q/health/ready"));
        workers.add(worker);
        return ready;
    }

    /** Starts the console (code flow with Keycloak, client aiaas-console) and answers what waits until it is ready. */
    private Runnable startConsole() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(settings.consolePort()));
        env.put("QUARKUS_HTTP_HOST", settings.host());
        env.put("AIAAS_CONSOLE_API_URL", settings.apiUrl());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", settings.realmUrl());
        return launchUnready(new Launch("console-ui", javaJar(List.of(), settings.consoleApp()), env,
                settings.stateDir().resolve("console-ui"), settings.consolePort(),
                settings.consoleUrl() + "/q/health/ready"));
    }

    private static List<String> javaJar(List<String> jvmOptions, Path jar) {
        // the same JVM as the launcher, so a JDK 17 on the PATH is all the machine needs
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return List.copyOf(command);
    }

    private void launch(Launch launch) {
        launchUnready(launch).run();
    }

    /** Starts a child and answers what waits until it is ready (and fails fast when it dies first). */
    private Runnable launchUnready(Launch launch) {
        String name = launch.name();
        Path logFile = settings.logDir().resolve(name + ".log");
        log.printf("starting %-16s log: %s%n", name, logFile);
        Instant begin = Instant.now();
        ChildProcess child = ChildProcess.start(name, launch.command(), launch.env(), launch.workDir(), logFile);
        ChildProcess previous = byName.put(name, child);
        launches.put(name, launch);
        if (previous != null) {
            children.remove(previous);
        }
        children.add(child);
        child.onExit().thenRun(() -> {
            // Ctrl-C reaches the children too (same process group): give the shutdown hook time to say so
            Readiness.sleep(1000);
            if (!closing && !child.stopRequested()) {
                onChildDeath.accept(name + " (pid " + child.pid() + ") exited with code " + child.exitValue()
                        + "; last lines of " + logFile + ":" + System.lineSeparator() + child.logTail(30));
            }
        });
        return () -> {
            Readiness.await(name, launch.readyUrl(), child, settings.startTimeout());
            log.printf("%-16s ready in %d s at %s%n", name, Duration.between(begin, Instant.now()).toSeconds(),
                    launch.readyUrl().substring(0, launch.readyUrl().indexOf('/', "http://".length())));
        };
    }

    private static void ensurePortFree(int port, String name) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name
                    + " is in use: is another stack running? (stop it, or set AIAAS_LOCAL_*_PORT)");
        }
    }

    /** Stops the children in reverse order of start; one that cannot be stopped does not keep the others running. */
    @Override
    public void close() {
        closing = true;
        List<ChildProcess> reversed;
        synchronized (children) {
            reversed = new ArrayList<>(children);
        }
        Collections.reverse(reversed);
        for (ChildProcess child : reversed) {
            try {
                if (child.isAlive()) {
                    log.printf("stopping %s (pid %d)%n", child.name(), child.pid());
                }
                child.close();
            } catch (RuntimeException e) {
                log.printf("could not stop %s (pid %d): %s%n", child.name(), child.pid(), e);
            }
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
