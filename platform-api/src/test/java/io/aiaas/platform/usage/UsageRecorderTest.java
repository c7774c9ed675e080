package io.aiaas.platform.usage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.platform.usage.service.UsageRecord;
import io.aiaas.platform.usage.service.UsageRecorder;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The usage writer on its own: batching, exactly-once per request id, and isolation of a bad row. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UsageRecorderTest {

    @Inject
    UsageRecorder recorder;

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    @Inject
    UsageRows usage;

    static UsageRecord row(UUID requestId, UUID tenantId, int status, int items) {
        Instant now = Instant.now();
        return new UsageRecord(requestId, tenantId, null, null, null, null, "m", 1, "infer", status, status < 300, items, 10,
                100, 200, "cpu", status < 300 ? null : "http_" + status, now, now);
    }

    private long rowsOf(Tenant tenant) {
        return db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ?", tenant.id());
    }

    @Test
    void concurrentRowsAreCommittedTogetherAndEachExactlyOnce() throws Exception {
        Tenant tenant = fixtures.tenant();
        int calls = 200;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        CountDownLatch start = new CountDownLatch(1);
        long commitsBefore = recorder.commits();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            done.add(pool.submit(() -> {
                start.await();
                recorder.record(row(UUID.randomUUID(), tenant.id(), 200, 1));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(rowsOf(tenant), equalTo((long) calls));
        assertThat(recorder.commits() - commitsBefore, lessThan((long) calls));
    }

    @Test
    void theSameRowWrittenTwiceIsStoredOnce() {
        Tenant tenant = fixtures.tenant();
        UsageRecord record = row(UUID.randomUUID(), tenant.id(), 200, 3);
        recorder.record(record);
        recorder.record(record);
        usage.one(record.requestId()).status(200).items(3);
    }

    @Test
    void aBadRowFailsAloneAndTheOthersAreStillWritten() throws Exception {
        Tenant tenant = fixtures.tenant();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> good = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            good.add(pool.submit(() -> {
                start.await();
                recorder.record(row(UUID.randomUUID(), tenant.id(), 200, 1));
                return null;
            }));
        }
        // model_name is varchar(100): this row's insert fails, and with it the batch it lands in
        UsageRecord template = row(UUID.randomUUID(), tenant.id(), 200, 1);
        UsageRecord tooLong = new UsageRecord(template.requestId(), template.tenantId(), null, null, null, null,
                "x".repeat(101), 1, "infer", 200, true, 1, 1, 1, 1, "cpu", null, template.startedAt(),
                template.finishedAt());
        Future<?> bad = pool.submit(() -> {
            start.await();
            recorder.record(tooLong);
            return null;
        });
        start.countDown();
        for (Future<?> f : good) {
            f.get();
        }
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, bad::get);
        assertThat(failure.getCause() instanceof ApiException e && e.status() == 503, equalTo(true));
        pool.shutdown();
        assertThat(rowsOf(tenant), equalTo(19L));
    }
}
