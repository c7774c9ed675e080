package io.aiaas.platform.idempotency.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.idempotency.service.Completion;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of {@code idempotency_keys}. Times come from the database clock ({@code now()}), so replicas with skewed
 * clocks agree on which locks and keys have expired.
 */
@ApplicationScoped
public class IdempotencyRepository {

    /**
     * Claims the key in one statement: a new key is inserted; an existing one is taken over only when it has expired,
     * or when it is IN_PROGRESS for the same request, its lock ran out (its replica died) and its call left no
     * billable usage row. Conflicting inserts of the same key serialize on the unique index, so exactly one wins.
     */
    private static final String CLAIM = """
            INSERT INTO idempotency_keys AS k
                (tenant_id, idem_key, request_hash, state, holder, request_id, locked_until, expires_at)
            VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?, now() + ? * interval '1 millisecond',
                    now() + ? * interval '1 millisecond')
            ON CONFLICT (tenant_id, idem_key) DO UPDATE SET
                request_hash = EXCLUDED.request_hash, state = 'IN_PROGRESS', holder = EXCLUDED.holder,
                request_id = EXCLUDED.request_id, status_code = NULL, content_type = NULL, headers = NULL,
                body = NULL, created_at = now(), locked_until = EXCLUDED.locked_until,
                expires_at = EXCLUDED.expires_at
            WHERE k.expires_at < now()
               OR (k.state = 'IN_PROGRESS' AND k.locked_until < now() AND k.request_hash = EXCLUDED.request_hash
                   AND NOT EXISTS (SELECT 1 FROM usage_records u
                                   WHERE u.request_id = k.request_id AND u.tenant_id = k.tenant_id AND u.billable))
            RETURNING (k.xmax = 0) AS inserted""";

    /** The key as it is, when the claim found it held; the body only where it is to be replayed. */
    private static final String READ = """
            SELECT k.state, k.request_hash = ? AS same_request, k.request_id, k.status_code, k.content_type,
                   CASE WHEN k.state = 'DONE' AND k.request_hash = ? THEN k.headers::text END AS headers,
                   CASE WHEN k.state = 'DONE' AND k.request_hash = ? THEN k.body END AS body,
                   k.expires_at < now() AS expired,
                   k.locked_until < now() AS lock_expired,
                   CASE WHEN k.state = 'IN_PROGRESS' AND k.locked_until < now()
                        THEN EXISTS (SELECT 1 FROM usage_records u
                                     WHERE u.request_id = k.request_id AND u.tenant_id = k.tenant_id AND u.billable)
                        ELSE false END AS billed
            FROM idempotency_keys k
            WHERE k.tenant_id = ? AND k.idem_key = ?""";

    /** Only the call that holds the key may settle it: a taken-over or released key is left alone. */
    private static final String COMPLETE = """
            UPDATE idempotency_keys
            SET state = ?, status_code = ?, content_type = ?, headers = CAST(? AS jsonb), body = ?,
                locked_until = now()
            WHERE tenant_id = ? AND idem_key = ? AND request_id = ? AND state = 'IN_PROGRESS'""";

    private static final String RELEASE = """
            DELETE FROM idempotency_keys
            WHERE tenant_id = ? AND idem_key = ? AND request_id = ? AND state = 'IN_PROGRESS'""";

    private static final String FORGET = """
            DELETE FROM idempotency_keys WHERE tenant_id = ? AND idem_key = ? AND request_id = ?""";

    /** Expired keys, a slice at a time; a key replaced meanwhile (no longer expired) is not deleted. */
    private static final String SWEEP = """
            DELETE FROM idempotency_keys
            WHERE ctid = ANY (ARRAY (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ?))
              AND expires_at < now()""";

    /** Widest content type the column holds. */
    static final int MAX_CONTENT_TYPE = 100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {
    };

    /** The key's row as {@link #read} found it. */
    public record Row(String state, boolean sameRequest, UUID requestId, Integer status, String contentType,
            Map<String, String> headers, byte[] body, boolean expired, boolean lockExpired, boolean billed) {
    }

    private final Jdbc jdbc;

    IdempotencyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts or takes over the key; empty when another call holds it or its answer is kept. */
    public Optional<Boolean> claim(UUID tenantId, String key, byte[] requestHash, UUID holder, UUID requestId,
            Duration lockTimeout, Duration ttl) {
        return jdbc.queryFirst(CLAIM, rs -> rs.getBoolean(1), tenantId, key, requestHash, holder, requestId,
                lockTimeout.toMillis(), ttl.toMillis());
    }

    /** The key's row, if it exists. */
    public Optional<Row> read(UUID tenantId, String key, byte[] requestHash) {
        return jdbc.queryFirst(READ, IdempotencyRepository::row, requestHash, requestHash, requestHash, tenantId,
                key);
    }

    /** Deletes the key if the call still holds it IN_PROGRESS. */
    public boolean release(UUID tenantId, String key, UUID requestId) {
        return jdbc.update(RELEASE, tenantId, key, requestId) > 0;
    }

    /** Deletes expired keys, at most {@code limit}; answers how many. */
    public int sweep(int limit) {
        return jdbc.update(SWEEP, limit);
    }

    /** Stores each call's answer (or the lack of it) on the caller's connection and transaction. */
    public static List<Completion.Outcome> complete(Connection connection, List<Completion> completions,
            long maxBytes) throws SQLException {
        List<Completion.Outcome> intended = new ArrayList<>(completions.size());
        List<Integer> updates = new ArrayList<>();
        List<Integer> deletes = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(COMPLETE);
                PreparedStatement delete = connection.prepareStatement(RELEASE)) {
            for (int i = 0; i < completions.size(); i++) {
                Completion c = completions.get(i);
                if (!c.replayable()) {
                    intended.add(Completion.Outcome.RELEASED);
                    bindKey(delete, 1, c);
                    delete.addBatch();
                    deletes.add(i);
                    continue;
                }
                String headers = storableHeaders(c.headers());
                boolean fits = headers != null && size(c, headers) <= maxBytes
                        && storableContentType(c.contentType());
                intended.add(fits ? Completion.Outcome.STORED : Completion.Outcome.TOO_LARGE);
                update.setString(1, fits ? "DONE" : "TOO_LARGE");
                update.setShort(2, (short) c.status());
                if (fits) {
                    update.setString(3, c.contentType());
                    update.setString(4, headers);
                    update.setBytes(5, c.body());
                } else {
                    update.setNull(3, Types.VARCHAR);
                    update.setNull(4, Types.VARCHAR);
                    update.setNull(5, Types.BINARY);
                }
                bindKey(update, 6, c);
                update.addBatch();
                updates.add(i);
            }
            List<Completion.Outcome> outcomes = new ArrayList<>(intended);
            markNotHeld(outcomes, updates, updates.isEmpty() ? new int[0] : update.executeBatch());
            markNotHeld(outcomes, deletes, deletes.isEmpty() ? new int[0] : delete.executeBatch());
            return outcomes;
        }
    }

    /** Deletes the keys of these calls whatever their state, on the caller's connection. */
    public static void forget(Connection connection, List<Completion> calls) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(FORGET)) {
            for (Completion c : calls) {
                bindKey(delete, 1, c);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    private static void bindKey(PreparedStatement statement, int first, Completion c) throws SQLException {
        statement.setObject(first, c.tenantId());
        statement.setString(first + 1, c.key());
        statement.setObject(first + 2, c.requestId());
    }

    private static void markNotHeld(List<Completion.Outcome> outcomes, List<Integer> indexes, int[] counts) {
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] == 0) {
                outcomes.set(indexes.get(j), Completion.Outcome.NOT_HELD);
            }
        }
    }

    /** What the answer costs to keep: its body and its headers as stored. */
    private static long size(Completion c, String headersJson) {
        return (long) c.body().length + headersJson.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The headers as jsonb text, or null when PostgreSQL could not store them as they are (jsonb refuses NUL), so the
     * answer could not be replayed faithfully.
     */
    static String storableHeaders(Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getKey().indexOf('\0') >= 0
                    || e.getValue().indexOf('\0') >= 0) {
                return null;
            }
        }
        try {
            return JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The column holds 100 characters and no NUL; a longer or odd one could not be replayed as it was. */
    static boolean storableContentType(String contentType) {
        return contentType == null || (contentType.length() <= MAX_CONTENT_TYPE && contentType.indexOf('\0') < 0);
    }

    private static Row row(ResultSet rs) throws SQLException {
        String headers = rs.getString("headers");
        int status = rs.getInt("status_code");
        boolean noStatus = rs.wasNull();
        return new Row(rs.getString("state"), rs.getBoolean("same_request"), rs.getObject("request_id", UUID.class),
                noStatus ? null : status, rs.getString("content_type"), headers == null ? Map.of() : parse(headers),
                rs.getBytes("body"), rs.getBoolean("expired"), rs.getBoolean("lock_expired"),
                rs.getBoolean("billed"));
    }

    private static Map<String, String> parse(String headers) throws SQLException {
        try {
            return JSON.readValue(headers, HEADERS);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored idempotency headers are not a JSON object of strings", e);
        }
    }
}
