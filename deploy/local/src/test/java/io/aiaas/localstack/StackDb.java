package io.aiaas.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The embedded PostgreSQL of a {@link LocalStack}, read over JDBC by the end-to-end tests to check what the public
 * APIs cannot show (usage rows by request id, counters, settings). One connection per call: the tests read now and
 * then, never on a hot path.
 */
final class StackDb {

    /** Reads one row of a result. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final LocalStack stack;

    StackDb(LocalStack stack) {
        this.stack = stack;
    }

    Connection open() throws SQLException {
        return DriverManager.getConnection(stack.settings().embeddedDatabaseUrl(),
                LocalStackSettings.EMBEDDED_DATABASE_USER, "");
    }

    /** Every row of the query, read by {@code row}; the arguments bind the {@code ?} in order. */
    <T> List<T> list(String sql, Row<T> row, Object... args) throws SQLException {
        try (Connection db = open(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setObject(i + 1, args[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        }
    }

    /** The first column of the first row as a number (a count, a sum). */
    long number(String sql, Object... args) throws SQLException {
        List<Long> values = list(sql, rs -> rs.getLong(1), args);
        if (values.isEmpty()) {
            throw new AssertionError("no row for " + sql);
        }
        return values.get(0);
    }

    UUID tenantId(String slug) throws SQLException {
        List<UUID> ids = list("SELECT id FROM tenants WHERE slug = ?", rs -> rs.getObject(1, UUID.class), slug);
        if (ids.isEmpty()) {
            throw new AssertionError("no tenant " + slug + " in the database");
        }
        return ids.get(0);
    }
}
