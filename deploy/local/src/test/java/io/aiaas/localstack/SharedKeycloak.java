package io.aiaas.localstack;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One Keycloak for every end-to-end suite of a test run: started by the first suite that asks, stopped when the test
 * JVM exits. Keycloak is the slowest part of a stack (a minute on 2 cores, its first start also building itself), and
 * the suites need nothing of it but the realm as imported: each signs in the realm's users (admin, alice, bob) or
 * registers people of its own (carol, dave), against a platform-api and database of its own. Sharing it saves that
 * minute in every suite but the first.
 */
final class SharedKeycloak {

    private static LocalStack keycloak;

    private SharedKeycloak() {
    }

    /**
     * Starts a stack (platform-api, a worker, the console) in its own state directory, on free ports, signing in
     * through the shared Keycloak.
     */
    static LocalStack stack(Path stateDir, Consumer<String> onChildDeath) {
        LocalStackSettings settings = LocalStackSettings.forTests(stateDir).withKeycloakPort(port());
        return LocalStack.start(settings, LocalStack.Topology.full().withSharedKeycloak(), System.out, onChildDeath);
    }

    /** The shared Keycloak's port, once it is ready; started on the first call. */
    private static synchronized int port() {
        if (keycloak == null) {
            Path state = Path.of("target", "keycloak-shared-" + System.currentTimeMillis());
            keycloak = LocalStack.keycloakAlone(LocalStackSettings.forTests(state), System.out,
                    message -> System.err.println("CHILD DIED: " + message));
            Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "shared-keycloak-stop"));
        } else if (!keycloak.isAlive("keycloak")) {
            throw new IllegalStateException("the shared Keycloak has stopped:" + System.lineSeparator()
                    + keycloak.diagnostics(40));
        }
        return keycloak.settings().keycloakPort();
    }
}
