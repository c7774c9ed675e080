package io.aiaas.platform.usage.service;

import io.aiaas.platform.usage.persistence.UsageBatchWriter;
import io.aiaas.platform.usage.persistence.UsageBatchWriter.Counters;
import io.aiaas.platform.usage.persistence.UsageBatchWriter.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What other features do in the usage writer's transaction: store the answers of calls that carried an
 * Idempotency-Key, and record the quota and budget thresholds a batch crossed.
 */
@ApplicationScoped
public class UsageHooks implements UsageBatchWriter.Hooks {

    @Override
    public void afterBatch(Connection connection, List<UsageRecord> rows, Map<Scope, Counters> before,
            Map<Scope, Counters> after) throws SQLException {
        // wired below once idempotency and billing events land
    }
}
