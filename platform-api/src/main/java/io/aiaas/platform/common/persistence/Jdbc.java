package io.aiaas.platform.common.persistence;

import io.agroal.api.AgroalDataSource;
import io.aiaas.platform.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The helper for the few hand-written SQL statements that run outside JPA (the hot path, heartbeats, reports): bound
 * parameters only, one transaction shape, timestamps always UTC {@code timestamptz}. A database that cannot be
 * reached is our failure, never the client's: it surfaces as 503 {@code database_unavailable} with Retry-After.
 */
@ApplicationScoped
public class Jdbc {

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Reads one row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    Jdbc(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} on a connection of the pool in auto-commit mode. */
    public <T> T withConnection(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        return withConnection(connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** All rows of a query. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(connection -> query(connection, sql, mapper, params));
    }

    /** The first row of a query, if any. */
    public <T> Optional<T> queryFirst(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Runs an INSERT, UPDATE or DELETE; answers the number of rows changed. */
    public int update(String sql, Object... params) {
        return withConnection(connection -> update(connection, sql, params));
    }

    /** All rows of a query on the given connection. */
    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rs = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        }
    }

    /** Runs an INSERT, UPDATE or DELETE on the given connection. */
    public static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        }
    }

    /**
     * A statement with its parameters bound: {@link Instant} as UTC timestamptz, {@link UuidArray} as uuid[],
     * everything else as the driver binds it.
     */
    public static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                bind(connection, statement, i + 1, params[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value instanceof Instant instant) {
            statement.setObject(index, utc(instant));
        } else if (value instanceof UuidArray array) {
            Array sqlArray = connection.createArrayOf("uuid", array.ids().toArray());
            statement.setArray(index, sqlArray);
        } else {
            statement.setObject(index, value);
        }
    }

    /** A uuid[] parameter. */
    public record UuidArray(Collection<UUID> ids) {
    }

    /** A timestamptz column as an Instant; null stays null. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** An Instant as the UTC timestamptz value the driver binds. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * What a failed statement means for the caller, by SQLSTATE class: a connection or resource problem is ours and
     * retryable (503); a data exception (22xxx: a value out of range, too long, not encodable) can only come from a
     * value that slipped past validation (400, logged by the mapper so the gap gets closed); a unique violation is
     * a conflict (409); anything else is a bug (500).
     */
    public static RuntimeException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40")
                || state.isEmpty()) {
            return ApiException.unavailable("database_unavailable",
                    "The database cannot be reached right now; retry shortly", e);
        }
        if (state.startsWith("22")) {
            return ApiException.badRequest("invalid_value",
                    "A value in the request is outside what the platform can store", e);
        }
        if (state.equals("23505")) {
            return ApiException.conflict("conflict", "The change clashes with what exists");
        }
        return new IllegalStateException("SQL statement failed with SQLSTATE " + state, e);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters; the pool discards a broken connection
        }
    }
}
