package io.aiaas.platform.common.database;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource URL of an embedded PostgreSQL server when no {@code quarkus.datasource.jdbc.url} is
 * configured. Registered through META-INF/services. It is not {@code @StaticInitSafe}, so static init never sees it,
 * and it answers nothing during the build; the server starts at runtime init, when the datasource URL is first read.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    static final String ENABLED = "aiaas.embedded-postgres.enabled";
    static final String DATA_DIR = "aiaas.embedded-postgres.data-dir";
    static final String PORT = "aiaas.embedded-postgres.port";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (duringBuild()) {
            // The Quarkus build also loads this factory; a value given then would be recorded as a runtime default.
            return List.of();
        }
        if (isSet(context.getValue(URL)) || "false".equalsIgnoreCase(valueOf(context.getValue(ENABLED)))) {
            return List.of();
        }
        String dataDir = valueOf(context.getValue(DATA_DIR));
        String port = valueOf(context.getValue(PORT));
        return List.of(new EmbeddedPostgresConfigSource(
                dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir).toAbsolutePath(),
                port == null || port.isBlank() ? 0 : Integer.parseInt(port.trim())));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(100);
    }

    /** True while Quarkus augments the application (build step code is on the stack). */
    static boolean duringBuild() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().startsWith("io.quarkus.deployment.")));
    }

    private static boolean isSet(ConfigValue value) {
        String v = valueOf(value);
        return v != null && !v.isBlank();
    }

    private static String valueOf(ConfigValue value) {
        return value == null ? null : value.getValue();
    }

    /** Answers the three datasource properties, starting the server on the first question. */
    static final class EmbeddedPostgresConfigSource implements ConfigSource {
        private static final Set<String> NAMES = Set.of(URL, USERNAME, PASSWORD);
        private final Path dataDir;
        private final int port;

        EmbeddedPostgresConfigSource(Path dataDir, int port) {
            this.dataDir = dataDir;
            this.port = port;
        }

        @Override
        public Set<String> getPropertyNames() {
            return NAMES;
        }

        @Override
        public Map<String, String> getProperties() {
            return Map.of(URL, getValue(URL), USERNAME, EmbeddedPostgresServer.USER, PASSWORD, "");
        }

        @Override
        public String getValue(String propertyName) {
            return switch (propertyName) {
                case URL -> EmbeddedPostgresServer.ensureStarted(dataDir, port);
                case USERNAME -> EmbeddedPostgresServer.USER;
                // trust authentication: any password is accepted, an empty one keeps the pool happy
                case PASSWORD -> "";
                default -> null;
            };
        }

        @Override
        public int getOrdinal() {
            // above application.properties (250) so its username/password do not leak into the embedded server
            return 275;
        }

        @Override
        public String getName() {
            return "EmbeddedPostgresConfigSource";
        }
    }
}
