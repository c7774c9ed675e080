package io.aiaas.platform.testsupport;

import io.aiaas.platform.apikey.service.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads {@code usage_records} for assertions: {@code usage.one(response).status(200).billable(true)
 * .endpoint("infer").errorCode(null)}. Every check names the column and shows the whole row when it fails.
 */
@ApplicationScoped
public class UsageRows {

    private final TestDb db;

    UsageRows(TestDb db) {
        this.db = db;
    }

    /** The rows of one request id (normally zero or one). */
    public List<Row> of(UUID requestId) {
        return db.query("SELECT * FROM usage_records WHERE request_id = ?", requestId).stream().map(Row::new)
                .toList();
    }

    public List<Row> of(String requestId) {
        return of(UUID.fromString(requestId));
    }

    /** The one row of the request; fails when there is none or more than one. */
    public Row one(UUID requestId) {
        List<Row> rows = of(requestId);
        if (rows.size() != 1) {
            throw new AssertionError("expected exactly one usage row for request " + requestId + ", found "
                    + rows.size() + ": " + rows);
        }
        return rows.get(0);
    }

    public Row one(String requestId) {
        return one(UUID.fromString(requestId));
    }

    /** The one row of the call that got this answer (by its {@code x-request-id}). */
    public Row one(io.restassured.response.Response response) {
        return one(requestIdOf(response));
    }

    /** Asserts the request left no row. */
    public void none(UUID requestId) {
        List<Row> rows = of(requestId);
        if (!rows.isEmpty()) {
            throw new AssertionError("expected no usage row for request " + requestId + ", found " + rows);
        }
    }

    public void none(String requestId) {
        none(UUID.fromString(requestId));
    }

    /** How many billable rows the request has: 1 for a call that was answered 2xx, 0 for any other. */
    public long billable(UUID requestId) {
        return db.count("SELECT count(*) FROM usage_records WHERE request_id = ? AND billable", requestId);
    }

    /** Every row written for calls with this API key (the secret), oldest first. */
    public List<Row> ofKey(String key) {
        return db.query("""
                SELECT u.* FROM usage_records u JOIN api_keys k ON k.id = u.api_key_id
                WHERE k.key_hash = ? ORDER BY u.started_at""", ApiKeys.hash(key)).stream().map(Row::new).toList();
    }

    /** The request id the platform gave the call. */
    public static String requestIdOf(io.restassured.response.Response response) {
        String id = response.header("x-request-id");
        if (id == null) {
            throw new AssertionError("the answer has no x-request-id");
        }
        return id;
    }

    /** One usage row, with fluent checks that each answer the row again. */
    public static final class Row {
        private final Map<String, Object> values;

        Row(Map<String, Object> values) {
            this.values = values;
        }

        public Object get(String column) {
            if (!values.containsKey(column)) {
                throw new AssertionError("usage_records has no column " + column);
            }
            return values.get(column);
        }

        public Row has(String column, Object expected) {
            Object actual = get(column);
            boolean same = expected instanceof Number e && actual instanceof Number a
                    ? e.longValue() == a.longValue() : Objects.equals(expected, actual);
            if (!same) {
                throw new AssertionError("usage row: expected " + column + " = " + expected + " but was " + actual
                        + " in " + values);
            }
            return this;
        }

        public Row status(int status) {
            return has("status_code", status);
        }

        public Row billable(boolean billable) {
            return has("billable", billable);
        }

        public Row endpoint(String endpoint) {
            return has("endpoint", endpoint);
        }

        public Row errorCode(String code) {
            return has("error_code", code);
        }

        public Row modelName(String name) {
            return has("model_name", name);
        }

        public Row modelVersion(Integer version) {
            return has("model_version", version);
        }

        public Row tenant(UUID tenantId) {
            return has("tenant_id", tenantId);
        }

        public Row key(UUID keyId) {
            return has("api_key_id", keyId);
        }

        public Row worker(UUID workerId) {
            return has("worker_id", workerId);
        }

        public Row items(int items) {
            return has("item_count", items);
        }

        public UUID requestId() {
            return (UUID) get("request_id");
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }
}
