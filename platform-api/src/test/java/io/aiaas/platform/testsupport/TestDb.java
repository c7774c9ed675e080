package io.aiaas.platform.testsupport;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one place tests run plain SQL against the application's database: to arrange rows and to check the state a
 * request left behind. {@link Fixtures} and {@link UsageRows} are built on it.
 */
@ApplicationScoped
public class TestDb {

    private final AgroalDataSource dataSource;

    TestDb(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A connection of the application's pool, for tests that hold locks or transactions; close it. */
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement that returns no rows; answers the update count. */
    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row, each as column label to value. */
    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one row of the query; fails the test when there is not exactly one. */
    public Map<String, Object> queryOne(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size() + ": " + sql);
        }
        return rows.get(0);
    }

    /** The first row of the query, if any. */
    public Optional<Map<String, Object>> queryFirst(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The single value of a one-row, one-column query, such as a count or a SHOW. */
    public Object value(String sql, Object... params) {
        return queryOne(sql, params).values().iterator().next();
    }

    /** {@code SELECT count(*) ...} as a long. */
    public long count(String sql, Object... params) {
        return ((Number) value(sql, params)).longValue();
    }

    /**
     * A race staged on demand: runs {@code sql} (an UPDATE) in a transaction of its own and holds it, runs
     * {@code call} on another thread, fails unless the call is still waiting for those rows a second later, then
     * commits and answers what the call answered.
     */
    public <T> T whileHolding(Supplier<T> call, String sql, Object... params) {
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement ps = prepare(held, sql, params)) {
                if (ps.executeUpdate() == 0) {
                    throw new IllegalStateException("nothing to hold: " + sql);
                }
            }
            CompletableFuture<T> running = CompletableFuture.supplyAsync(call);
            try {
                T early = running.get(1, TimeUnit.SECONDS);
                held.rollback();
                throw new AssertionError("the call did not wait for the rows held: it answered " + early);
            } catch (TimeoutException waiting) {
                held.commit();
            }
            return running.get(30, TimeUnit.SECONDS);
        } catch (SQLException | InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
