package io.aiaas.platform.common.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;

/**
 * The one embedded PostgreSQL server of this application instance, started on first use and stopped at shutdown.
 */
public final class EmbeddedPostgresServer {

    /** The database the application uses inside the embedded server. */
    public static final String DATABASE = "aiaas";
    public static final String USER = "postgres";

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static EmbeddedPostgres server;
    private static String jdbcUrl;

    private EmbeddedPostgresServer() {
    }

    /**
     * Starts the server unless it already runs, and answers its JDBC URL.
     *
     * @param dataDir where the data lives across restarts; null for a throw-away directory
     * @param port the TCP port; 0 for a free one
     */
    public static synchronized String ensureStarted(Path dataDir, int port) {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        long started = System.nanoTime();
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                // A persistent database keeps the default durability; the throw-away one may lose its last commits.
                builder.setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setServerConfig("synchronous_commit", "on");
            }
            server = builder.start();
            createDatabaseIfMissing(server);
            jdbcUrl = server.getJdbcUrl(USER, DATABASE);
            LOG.infof("Embedded PostgreSQL on port %d (data: %s) ready in %d ms", server.getPort(),
                    dataDir == null ? "temporary directory" : dataDir, (System.nanoTime() - started) / 1_000_000);
            return jdbcUrl;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the embedded PostgreSQL database: " + e.getMessage(), e);
        }
    }

    /** Stops the server if this application started one. */
    public static synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Could not stop the embedded PostgreSQL server cleanly", e);
        } finally {
            server = null;
            jdbcUrl = null;
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + DATABASE);
                }
            }
        }
    }
}
