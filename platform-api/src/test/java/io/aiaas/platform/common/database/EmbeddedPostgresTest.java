package io.aiaas.platform.common.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server outside Quarkus: an external URL wins, and a data directory survives a restart. */
class EmbeddedPostgresTest {

    static ConfigSourceContext context(Map<String, String> values) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String v = values.get(name);
                return v == null ? null : ConfigValue.builder().withName(name).withValue(v).build();
            }

            @Override
            public List<String> getProfiles() {
                return List.of();
            }

            @Override
            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }
        };
    }

    @Test
    void externalUrlOrDisablingMeansNoEmbeddedServer() {
        var factory = new EmbeddedPostgresConfigSourceFactory();
        assertFalse(factory.getConfigSources(context(Map.of("quarkus.datasource.jdbc.url",
                "jdbc:postgresql://db.example:5432/aiaas"))).iterator().hasNext());
        assertFalse(factory.getConfigSources(context(Map.of("aiaas.embedded-postgres.enabled", "false")))
                .iterator().hasNext());
        ConfigSource source = factory.getConfigSources(context(Map.of())).iterator().next();
        assertEquals("postgres", source.getValue("quarkus.datasource.username"));
        assertEquals(null, source.getValue("quarkus.datasource.reactive.url"));
    }

    @Test
    void dataInAPersistentDirectorySurvivesARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try {
            String url = EmbeddedPostgresServer.ensureStarted(data, 0);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
            EmbeddedPostgresServer.stop();
            assertTrue(Files.exists(data.resolve("PG_VERSION")), "the data directory is kept");
            url = EmbeddedPostgresServer.ensureStarted(data, 0);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
        } finally {
            EmbeddedPostgresServer.stop();
        }
    }
}
