package io.aiaas.platform.usage.service;

import io.aiaas.platform.usage.persistence.UsageBatchWriter;
import io.aiaas.platform.usage.persistence.UsageBatchWriter.Counters;
import io.aiaas.platform.usage.persistence.UsageBatchWriter.Scope;
import io.aiaas.platform.idempotency.service.Completion;
import io.aiaas.platform.idempotency.service.IdempotencyKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What other features do in the usage writer's transaction: store the answers of calls that carried an
 * Idempotency-Key, and record the quota and budget thresholds a batch crossed.
 */
@ApplicationScoped
public class UsageHooks implements UsageBatchWriter.Hooks {

    private final long maxIdempotentBytes;

    UsageHooks(IdempotencyKeys idempotencyKeys) {
        this.maxIdempotentBytes = idempotencyKeys.maxResponseBytes();
    }

    @Override
    public void afterBatch(Connection connection, List<UsageRecord> rows, Map<Scope, Counters> before,
            Map<Scope, Counters> after) throws SQLException {
        storeIdempotentAnswers(connection, rows);
    }

    /** The answer of each call with an Idempotency-Key commits with its usage row (or releases the key). */
    private void storeIdempotentAnswers(Connection connection, List<UsageRecord> rows) throws SQLException {
        List<Completion> completions = new ArrayList<>();
        for (UsageRecord row : rows) {
            UsageRecord.Idempotent answer = row.idempotent();
            if (answer != null) {
                completions.add(new Completion(row.tenantId(), answer.key(), row.requestId(), answer.status(),
                        answer.contentType(), answer.headers(), answer.body()));
            }
        }
        if (!completions.isEmpty()) {
            IdempotencyKeys.complete(connection, completions, maxIdempotentBytes);
        }
    }
}
