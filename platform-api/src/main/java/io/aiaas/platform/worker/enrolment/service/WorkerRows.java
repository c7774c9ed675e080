package io.aiaas.platform.worker.enrolment.service;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What registration needs from identities: a worker's row id is its identity id, so a worker registers, beats and
 * deregisters its own row only. Runs inside the registration's transaction, before the registry's upsert by URL.
 */
public final class WorkerRows {

    private WorkerRows() {
    }

    /**
     * Makes {@code url} the identity's: a row of another identity at that URL that is still alive (heard from within
     * {@code downAfter}) keeps it (409); a silent one is dropped (its worker is gone, a new one took the address).
     * The identity's own row, if any, moves to the URL, so the registry's upsert by URL lands on it.
     *
     * @throws ApiException 409 {@code worker_url_taken}
     */
    public static void claimUrl(Connection c, UUID identity, String url, Duration downAfter) throws SQLException {
        List<UUID> alive = Jdbc.query(c, """
                SELECT id FROM workers WHERE url = ? AND id <> ? AND status = 'UP'
                  AND last_heartbeat_at > now() - ? * interval '1 millisecond'
                FOR UPDATE""", rs -> rs.getObject(1, UUID.class), url, identity, downAfter.toMillis());
        if (!alive.isEmpty()) {
            throw ApiException.conflict("worker_url_taken", "another worker is registered at " + url
                    + " and alive; a worker registers under its own address");
        }
        Jdbc.update(c, "DELETE FROM workers WHERE url = ? AND id <> ?", url, identity);
        Jdbc.update(c, "UPDATE workers SET url = ? WHERE id = ?", url, identity);
    }
}
