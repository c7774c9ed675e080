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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
            // The library is made for tests: it starts postgres with -F (fsync off) and synchronous_commit=off. Usage
            // rows are committed before calls are answered, so both go back on; "-c fsync=on" follows -F and wins.
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                stopOrphanedServer(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
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

    /**
     * A postgres started by an earlier run of this application that was killed (kill -9, a crash) keeps running and
     * holds the data directory; it is shut down (fast: open transactions roll back, committed data stays) so that
     * this run can start its own.
     */
    static void stopOrphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return; // a stale pid file; postgres itself recovers from it
        }
        LOG.warnf("Embedded PostgreSQL of an earlier run (pid %d) still holds %s; shutting it down", pid, dataDir);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            orphan.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the earlier PostgreSQL server", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the earlier PostgreSQL server (pid " + pid + ") did not stop in 30 s", e);
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
