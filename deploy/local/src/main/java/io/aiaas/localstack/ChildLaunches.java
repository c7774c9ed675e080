package io.aiaas.localstack;

import static io.aiaas.localstack.ChildProcesses.javaJar;

import io.aiaas.internalauth.SigningKey;
import io.aiaas.localstack.ChildProcesses.Launch;
import io.aiaas.localstack.LocalStack.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each kind of child is started on this machine: its command, environment, working directory and readiness URL,
 * from the stack's settings, and the state files those point at (the control plane's signing key, each worker's
 * enrolled identity). {@link LocalStack} decides when to start what; this class only says how.
 */
final class ChildLaunches {

    private final LocalStackSettings settings;
    /** Signs user tokens when there is no Keycloak; null when there is. */
    private final LocalTokenIssuer tokens;
    private final List<String> workerJvmOptions;

    ChildLaunches(LocalStackSettings settings, LocalTokenIssuer tokens, List<String> workerJvmOptions) {
        this.settings = settings;
        this.tokens = tokens;
        this.workerJvmOptions = List.copyOf(workerJvmOptions);
    }

    /** Keycloak in dev mode with the realm imported (a realm that already exists is left as it is). */
    Launch keycloak() {
        Path home = settings.keycloakHome();
        Path importDir = home.resolve("data/import");
        Path dbDir = settings.stateDir().resolve("keycloak");
        try {
            Files.createDirectories(importDir);
            Files.createDirectories(dbDir);
            // the import reads data/import/*.json
            Files.copy(settings.realmFile(), importDir.resolve("aiaas-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Keycloak under " + home + ": " + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", LocalStack.KEYCLOAK_ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", LocalStack.KEYCLOAK_ADMIN);
        List<String> command = List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port", String.valueOf(settings.keycloakPort()),
                "--http-host", settings.host(),
                "--import-realm",
                // the state lives with the stack, not in the shared distribution folder
                "--db-url=jdbc:h2:file:" + dbDir.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE");
        return new Launch("keycloak", command, env, home, settings.keycloakPort(),
                settings.realmUrl() + "/.well-known/openid-configuration");
    }

    /** The first platform-api, which runs the embedded PostgreSQL (its data under the stack's state). */
    Launch platformApi() {
        Path dir = settings.stateDir().resolve("platform-api");
        Map<String, String> env = platformApiEnv(settings.apiPort());
        env.put("AIAAS_EMBEDDED_POSTGRES_DATA_DIR", dir.resolve("postgres").toString());
        env.put("AIAAS_EMBEDDED_POSTGRES_PORT", String.valueOf(settings.postgresPort()));
        return new Launch("platform-api", javaJar(List.of(), settings.platformApiApp()), env, dir, settings.apiPort(),
                settings.apiUrl() + "/q/health/ready");
    }

    /**
     * Another platform-api on the first one's embedded PostgreSQL as its external database, given only through the
     * standard Quarkus datasource settings; the extra environment wins over the shared settings, the JVM options go
     * before {@code -jar}.
     */
    Launch replica(String name, int port, String url, Map<String, String> extraEnv, List<String> jvmOptions) {
        Map<String, String> env = platformApiEnv(port);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", settings.embeddedDatabaseUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", LocalStackSettings.EMBEDDED_DATABASE_USER);
        // the embedded server trusts local connections; an empty value is what the first replica uses too
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.putAll(extraEnv);
        return new Launch(name, javaJar(jvmOptions, settings.platformApiApp()), env, settings.stateDir().resolve(name),
                port, url + "/q/health/ready");
    }

    /** A worker that enrols with the first platform-api; the extra environment wins over the shared settings. */
    Launch worker(Worker worker, Map<String, String> extraEnv) {
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
        return new Launch(worker.name(), javaJar(workerJvmOptions, settings.workerApp()), env, dir, worker.port(),
                worker.url() + "/q/health/ready");
    }

    /** The console (code flow with Keycloak, client aiaas-console). */
    Launch console() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(settings.consolePort()));
        env.put("QUARKUS_HTTP_HOST", settings.host());
        env.put("AIAAS_CONSOLE_API_URL", settings.apiUrl());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", settings.realmUrl());
        return new Launch("console-ui", javaJar(List.of(), settings.consoleApp()), env,
                settings.stateDir().resolve("console-ui"), settings.consolePort(),
                settings.consoleUrl() + "/q/health/ready");
    }

    /** Where a worker keeps the identity it enrolled under. */
    Path workerIdentityDir(String workerName) {
        return settings.stateDir().resolve(workerName).resolve("identity");
    }

    /**
     * The control plane's signing key, kept with the database it belongs to: written once (mode 600) when missing,
     * the same file for every replica (docs/internal-auth.md).
     */
    synchronized Path signingKeyFile() {
        Path file = settings.stateDir().resolve("platform-api").resolve("signing-key.pem");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path temp = file.resolveSibling("signing-key.pem.tmp");
                Files.deleteIfExists(temp);
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, SigningKey.generate().toPkcs8Pem());
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * What every platform-api replica shares: Keycloak, the internal-auth key and bootstrap token, the artifact
     * directory.
     */
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
}
