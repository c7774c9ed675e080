package io.aiaas.localstack;

import static io.aiaas.localstack.ChildProcesses.ensurePortFree;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.internalauth.SigningKey;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
    private final ChildProcesses children;
    private final ChildLaunches launches;
    private final Topology topology;
    /** Signs user tokens when there is no Keycloak; null when there is. */
    private final LocalTokenIssuer tokens;
    private final AtomicInteger replicas = new AtomicInteger(1);
    private final AtomicInteger workerCount = new AtomicInteger();
    private final List<Worker> workers = new CopyOnWriteArrayList<>();

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
        this.tokens = topology.keycloak() ? null : LocalTokenIssuer.generate();
        this.log = log;
        this.launches = new ChildLaunches(settings, tokens, topology.workerJvmOptions());
        this.children = new ChildProcesses(settings.logDir(), settings.startTimeout(), log, onChildDeath);
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
    public SigningKey signingKey() {
        try {
            return SigningKey.fromPkcs8Pem(Files.readString(launches.signingKeyFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The identity id the first worker enrolled under: the audience of the control plane's tokens to it. Waits up to 30 s
     * for the enrolment, which the worker does in the background after it started.
     */
    public String workerIdentityId() {
        Path file = launches.workerIdentityDir("inference-worker").resolve("identity.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return Json.parse(Files.readString(file)).get("identity_id").asText();
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the worker has not enrolled within 30 s (" + file + ")", e);
                }
            }
            Readiness.sleep(100);
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
        return children.launchUnready(launches.keycloak());
    }

    private void startPlatformApi() {
        children.launch(launches.platformApi());
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
        int replica = replicas.incrementAndGet();
        int port = LocalStackSettings.freePort();
        String url = "http://" + settings.host() + ":" + port;
        String name = "platform-api-" + replica;
        ensurePortFree(port, name);
        children.launch(launches.replica(name, port, url, extraEnv, jvmOptions));
        return new Replica(name, url, port);
    }

    /**
     * Kills a child with SIGKILL (no shutdown of any kind) and waits until it is gone. Intended, so the death
     * callback is not called; {@link #restart} starts it again.
     */
    public void kill(String name) {
        children.kill(name);
    }

    /**
     * Sends SIGTERM to a child and returns at once, without the SIGKILL that {@link #stop} sends after its grace
     * period: the child shuts down as it sees fit (a worker drains). Intended, so no death callback.
     *
     * @return completes with the exit code when the process is gone
     */
    public CompletableFuture<Integer> terminate(String name) {
        return children.terminate(name);
    }

    /** Stops a child in order (SIGTERM, SIGKILL after a grace period); intended, so no death callback. */
    public void stop(String name) {
        children.stop(name);
    }

    /**
     * Starts a stopped or killed child again with the same command, environment and port, appending to the same
     * log, and waits until it is ready.
     */
    public void restart(String name) {
        children.restart(name);
    }

    /** How many lines of a child's log (all its runs) contain the text: a figure for a test, such as broken calls. */
    public long logLines(String name, String text) {
        return children.logLines(name, text);
    }

    /** The process id of a child's current process. */
    public long pid(String name) {
        return children.pid(name);
    }

    public boolean isAlive(String name) {
        return children.isAlive(name);
    }

    /**
     * For a failed test: every child with its pid, whether it runs or how it exited, and the last lines of its log.
     */
    public String diagnostics(int lines) {
        return children.diagnostics(lines);
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
        Runnable ready = children.launchUnready(launches.worker(worker, extraEnv));
        workers.add(worker);
        return ready;
    }

    /** Starts the console (code flow with Keycloak, client aiaas-console) and answers what waits until it is ready. */
    private Runnable startConsole() {
        return children.launchUnready(launches.console());
    }

    /** Stops the children in reverse order of start; one that cannot be stopped does not keep the others running. */
    @Override
    public void close() {
        children.close();
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
