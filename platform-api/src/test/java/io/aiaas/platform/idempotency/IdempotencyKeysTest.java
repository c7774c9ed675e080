package io.aiaas.platform.idempotency;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.idempotency.service.BeginResult;
import io.aiaas.platform.idempotency.service.Completion;
import io.aiaas.platform.idempotency.service.Completion.Outcome;
import io.aiaas.platform.idempotency.service.IdempotencyKeys;
import io.aiaas.platform.idempotency.service.IdempotencySweeper;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The idempotency store on its own, against the real schema: claims, replays, conflicts, takeovers, races. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class IdempotencyKeysTest {

    private static final long MAX = 1024 * 1024;
    private static final String PATH = "/v2/models/iris/versions/1/infer";
    private static final byte[] BODY = "{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HASH = IdempotencyKeys.requestHash("POST", PATH, BODY);

    @Inject
    IdempotencyKeys keys;

    @Inject
    IdempotencySweeper sweeper;

    @Inject
    TestDb db;

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    private BeginResult begin(UUID tenant, String key, UUID requestId) {
        return keys.begin(tenant, key, HASH, UUID.randomUUID(), requestId);
    }

    private List<Outcome> completeAll(List<Completion> completions, long maxBytes) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                List<Outcome> outcomes = IdempotencyKeys.complete(c, completions, maxBytes);
                c.commit();
                return outcomes;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Outcome complete(UUID tenant, String key, UUID requestId, int status, String contentType,
            Map<String, String> headers, byte[] body, long maxBytes) throws SQLException {
        return completeAll(List.of(new Completion(tenant, key, requestId, status, contentType, headers, body)),
                maxBytes).get(0);
    }

    private Map<String, Object> row(UUID tenant, String key) {
        return db.queryOne("SELECT * FROM idempotency_keys WHERE tenant_id = ? AND idem_key = ?", tenant, key);
    }

    private long rows(UUID tenant, String key) {
        return db.count("SELECT count(*) FROM idempotency_keys WHERE tenant_id = ? AND idem_key = ?", tenant, key);
    }

    private void expireLock(UUID tenant, String key) {
        db.update("UPDATE idempotency_keys SET locked_until = now() - interval '1 second'"
                + " WHERE tenant_id = ? AND idem_key = ?", tenant, key);
    }

    private void insertUsage(UUID tenant, UUID requestId, int status, boolean billable) {
        Timestamp now = Timestamp.from(Instant.now());
        db.update("INSERT INTO usage_records (request_id, tenant_id, endpoint, status_code, billable, started_at,"
                + " finished_at) VALUES (?, ?, 'infer', ?, ?, ?, ?)", requestId, tenant, status, billable, now, now);
    }

    private static ApiException fails(int status, String code, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertThat(e.getMessage(), e.status(), equalTo(status));
        assertThat(e.code(), equalTo(code));
        return e;
    }

    @Test
    void completedAnswerIsReplayedToARetryWithTheOriginalRequestId() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID first = UUID.randomUUID();
        assertThat(begin(tenant, key, first), instanceOf(BeginResult.Started.class));
        assertThat(row(tenant, key).get("state"), equalTo("IN_PROGRESS"));

        byte[] body = "{\"outputs\":[1]}".getBytes(StandardCharsets.UTF_8);
        assertThat(complete(tenant, key, first, 200, "application/json", Map.of("x-aiaas-device", "cpu"), body, MAX),
                equalTo(Outcome.STORED));

        BeginResult retry = begin(tenant, key, UUID.randomUUID());
        BeginResult.Replay replay = (BeginResult.Replay) retry;
        assertThat(replay.status(), equalTo(200));
        assertThat(replay.contentType(), equalTo("application/json"));
        assertArrayEquals(body, replay.body());
        assertThat(replay.originalRequestId(), equalTo(first));
        assertThat(replay.headersToSend(), equalTo(Map.of("x-aiaas-device", "cpu",
                "x-aiaas-idempotent-replay", "true", "x-aiaas-original-request-id", first.toString())));
        // the replay did not take the key: it still belongs to the first call
        assertThat(row(tenant, key).get("request_id"), equalTo(first));
        assertThat(row(tenant, key).get("state"), equalTo("DONE"));
    }

    @Test
    void replayIsByteIdenticalInBodyAndHeaders() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID first = UUID.randomUUID();
        begin(tenant, key, first);
        byte[] body = new byte[512];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i; // every byte value, NULs and invalid UTF-8 included
        }
        Map<String, String> headers = Map.of("x-aiaas-model-version", "3", "X-Mixed-Case", "a, \"b\"; q=0.5",
                "x-unicode", "héllo ✓", "x-empty", "");
        assertThat(complete(tenant, key, first, 400, "application/octet-stream; charset=x", headers, body, MAX),
                equalTo(Outcome.STORED));

        BeginResult.Replay replay = (BeginResult.Replay) begin(tenant, key, UUID.randomUUID());
        assertThat(replay.status(), equalTo(400)); // a 4xx answer is kept like a 2xx one
        assertThat(replay.contentType(), equalTo("application/octet-stream; charset=x"));
        assertArrayEquals(body, replay.body());
        assertThat(replay.headers(), equalTo(headers));
    }

    @Test
    void retryWhileTheFirstCallRunsGets409InProgressWithRetryAfter() {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID first = UUID.randomUUID();
        begin(tenant, key, first);
        ApiException e = fails(409, "idempotency_in_progress", () -> begin(tenant, key, UUID.randomUUID()));
        assertThat(e.retryAfterSeconds(), equalTo(1));
        assertThat(row(tenant, key).get("request_id"), equalTo(first));
        assertThat(row(tenant, key).get("state"), equalTo("IN_PROGRESS"));
    }

    @Test
    void sameKeyForAnotherRequestGets422WhileRunningAndAfterwards() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID first = UUID.randomUUID();
        begin(tenant, key, first);
        byte[] otherBody = IdempotencyKeys.requestHash("POST", PATH, "{\"inputs\":[1]}".getBytes());
        byte[] otherVersion = IdempotencyKeys.requestHash("POST", "/v2/models/iris/versions/2/infer", BODY);
        fails(422, "idempotency_key_reused",
                () -> keys.begin(tenant, key, otherBody, UUID.randomUUID(), UUID.randomUUID()));

        complete(tenant, key, first, 200, "application/json", Map.of(), "{}".getBytes(), MAX);
        fails(422, "idempotency_key_reused",
                () -> keys.begin(tenant, key, otherBody, UUID.randomUUID(), UUID.randomUUID()));
        fails(422, "idempotency_key_reused",
                () -> keys.begin(tenant, key, otherVersion, UUID.randomUUID(), UUID.randomUUID()));
        assertThat(row(tenant, key).get("request_id"), equalTo(first));
        assertArrayEquals(HASH, (byte[]) row(tenant, key).get("request_hash"));
    }

    @Test
    void keysThatAreNotOneTo255PrintableAsciiCharactersGet400() {
        UUID tenant = UUID.randomUUID();
        List<String> bad = new ArrayList<>(List.of("", "k".repeat(256), "line\nbreak", "tab\t", "nul\0",
                "del\u007f", "caf\u00e9", "emoji\uD83D\uDE00", "\u0001"));
        bad.add(null);
        for (String key : bad) {
            fails(400, "invalid_idempotency_key", () -> begin(tenant, key, UUID.randomUUID()));
        }
        assertThat(db.count("SELECT count(*) FROM idempotency_keys WHERE tenant_id = ?", tenant), equalTo(0L));

        String longest = "k".repeat(255);
        String printable = " !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~";
        assertThat(begin(tenant, longest, UUID.randomUUID()), instanceOf(BeginResult.Started.class));
        assertThat(begin(tenant, printable, UUID.randomUUID()), instanceOf(BeginResult.Started.class));
        assertThat(rows(tenant, printable), equalTo(1L));
    }

    @Test
    void aCallCarriesNoKeyOrOneAndTwoAreRefused() {
        assertThat(IdempotencyKeys.single(List.of()), equalTo(null));
        assertThat(IdempotencyKeys.single(null), equalTo(null));
        assertThat(IdempotencyKeys.single(List.of("k-1")), equalTo("k-1"));
        fails(400, "invalid_idempotency_key", () -> IdempotencyKeys.single(List.of("k-1", "k-1")));
        fails(400, "invalid_idempotency_key", () -> IdempotencyKeys.single(List.of("k-1", "k-2", "k-3")));
    }

    @Test
    void answerOverTheLimitIsNotKeptAndARetryGets409TooLarge() throws Exception {
        UUID tenant = UUID.randomUUID();
        String fits = newKey();
        String tooLarge = newKey();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        begin(tenant, fits, a);
        begin(tenant, tooLarge, b);
        // the limit counts the body and the stored headers ("{}" is 2 bytes)
        assertThat(complete(tenant, fits, a, 200, "application/json", Map.of(), new byte[98], 100),
                equalTo(Outcome.STORED));
        assertThat(complete(tenant, tooLarge, b, 200, "application/json", Map.of(), new byte[99], 100),
                equalTo(Outcome.TOO_LARGE));

        Map<String, Object> row = row(tenant, tooLarge);
        assertThat(row.get("state"), equalTo("TOO_LARGE"));
        assertThat(row.get("body"), nullValue());
        assertThat(row.get("headers"), nullValue());
        fails(409, "idempotency_response_too_large", () -> begin(tenant, tooLarge, UUID.randomUUID()));
        assertThat(begin(tenant, fits, UUID.randomUUID()), instanceOf(BeginResult.Replay.class));
    }

    @Test
    void serverErrorsAndRateLimitsReleaseTheKeySoARetryRunsAgain() throws Exception {
        UUID tenant = UUID.randomUUID();
        for (int status : new int[] {500, 502, 503, 504, 429}) {
            String key = newKey();
            UUID first = UUID.randomUUID();
            begin(tenant, key, first);
            assertThat(complete(tenant, key, first, status, "application/json", Map.of(), "{}".getBytes(), MAX),
                    equalTo(Outcome.RELEASED));
            assertThat("status " + status, rows(tenant, key), equalTo(0L));
            assertThat(begin(tenant, key, UUID.randomUUID()), instanceOf(BeginResult.Started.class));
        }
    }

    @Test
    void releaseDeletesOnlyTheCallersInProgressKeyAndLetsARetryStart() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID first = UUID.randomUUID();
        begin(tenant, key, first);
        assertThat(keys.release(tenant, key, UUID.randomUUID()), equalTo(false));
        assertThat(rows(tenant, key), equalTo(1L));

        assertThat(keys.release(tenant, key, first), equalTo(true));
        assertThat(rows(tenant, key), equalTo(0L));
        UUID second = UUID.randomUUID();
        assertThat(begin(tenant, key, second), instanceOf(BeginResult.Started.class));
        assertThat(row(tenant, key).get("request_id"), equalTo(second));

        // a completed key is never released: its answer is what retries get
        complete(tenant, key, second, 200, "application/json", Map.of(), "{}".getBytes(), MAX);
        assertThat(keys.release(tenant, key, second), equalTo(false));
        assertThat(row(tenant, key).get("state"), equalTo("DONE"));
    }

    @Test
    void keyOfACallWhoseLockExpiredWithoutUsageIsTakenOverByARetry() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID dead = UUID.randomUUID();
        begin(tenant, key, dead);
        // a usage row that is not billable (the call failed) does not prevent the takeover
        insertUsage(tenant, dead, 400, false);
        expireLock(tenant, key);

        UUID retry = UUID.randomUUID();
        UUID holder = UUID.randomUUID();
        assertThat(keys.begin(tenant, key, HASH, holder, retry), instanceOf(BeginResult.Started.class));
        Map<String, Object> row = row(tenant, key);
        assertThat(row.get("request_id"), equalTo(retry));
        assertThat(row.get("holder"), equalTo(holder));
        assertThat(row.get("state"), equalTo("IN_PROGRESS"));
        assertThat(db.count("SELECT count(*) FROM idempotency_keys WHERE tenant_id = ? AND idem_key = ?"
                + " AND locked_until > now() + interval '1 minute'", tenant, key), equalTo(1L));

        // the dead call's late answer no longer lands on the key
        assertThat(complete(tenant, key, dead, 200, "application/json", Map.of(), "{}".getBytes(), MAX),
                equalTo(Outcome.NOT_HELD));
        assertThat(row(tenant, key).get("state"), equalTo("IN_PROGRESS"));
        assertThat(row(tenant, key).get("request_id"), equalTo(retry));
        // a different request may not take an abandoned key either
        expireLock(tenant, key);
        byte[] other = IdempotencyKeys.requestHash("POST", PATH, "{}".getBytes());
        fails(422, "idempotency_key_reused", () -> keys.begin(tenant, key, other, UUID.randomUUID(), UUID.randomUUID()));
    }

    @Test
    void expiredLockOfACallThatWasBilledGets409ResponseLostAndIsNeverRunAgain() {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID billed = UUID.randomUUID();
        begin(tenant, key, billed);
        insertUsage(tenant, billed, 200, true);
        // still locked: an ordinary in-progress answer
        fails(409, "idempotency_in_progress", () -> begin(tenant, key, UUID.randomUUID()));

        expireLock(tenant, key);
        ApiException e = fails(409, "idempotency_response_lost", () -> begin(tenant, key, UUID.randomUUID()));
        assertThat(e.getMessage().contains(billed.toString()), equalTo(true));
        assertThat(row(tenant, key).get("request_id"), equalTo(billed));
        assertThat(row(tenant, key).get("state"), equalTo("IN_PROGRESS"));
    }

    @Test
    void expiredKeysAreReplacedByANewCallAndSweptAway() throws Exception {
        UUID tenant = UUID.randomUUID();
        String replaced = newKey();
        String swept = newKey();
        String kept = newKey();
        UUID first = UUID.randomUUID();
        begin(tenant, replaced, first);
        complete(tenant, replaced, first, 200, "application/json", Map.of(), "{}".getBytes(), MAX);
        begin(tenant, swept, UUID.randomUUID());
        begin(tenant, kept, UUID.randomUUID());
        db.update("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'"
                + " WHERE tenant_id = ? AND idem_key IN (?, ?)", tenant, replaced, swept);

        // after the TTL the key is free, even for another request, and nothing is replayed
        byte[] other = IdempotencyKeys.requestHash("POST", PATH, "{\"inputs\":[2]}".getBytes());
        UUID second = UUID.randomUUID();
        assertThat(keys.begin(tenant, replaced, other, UUID.randomUUID(), second),
                instanceOf(BeginResult.Started.class));
        Map<String, Object> row = row(tenant, replaced);
        assertThat(row.get("request_id"), equalTo(second));
        assertThat(row.get("state"), equalTo("IN_PROGRESS"));
        assertThat(row.get("body"), nullValue());
        assertThat(row.get("status_code"), nullValue());

        assertThat(sweeper.sweep(), not(equalTo(0L)));
        assertThat(rows(tenant, swept), equalTo(0L));
        assertThat(rows(tenant, kept), equalTo(1L));
        assertThat(rows(tenant, replaced), equalTo(1L));
    }

    @Test
    void twentyConcurrentBeginsOnOneKeyStartExactlyOneCall() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        int callers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        return begin(tenant, key, UUID.randomUUID());
                    } catch (ApiException e) {
                        return e.code();
                    }
                }));
            }
            go.countDown();
            int started = 0;
            int inProgress = 0;
            for (Future<Object> result : results) {
                Object outcome = result.get();
                if (outcome instanceof BeginResult.Started) {
                    started++;
                } else if ("idempotency_in_progress".equals(outcome)) {
                    inProgress++;
                }
            }
            assertThat(started, equalTo(1));
            assertThat(inProgress, equalTo(callers - 1));
            assertThat(rows(tenant, key), equalTo(1L));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameKeyInTwoTenantsIsTwoIndependentKeys() throws Exception {
        UUID tenantA = UUID.randomUUID();
        UUID tenantB = UUID.randomUUID();
        String key = newKey();
        UUID a = UUID.randomUUID();
        assertThat(begin(tenantA, key, a), instanceOf(BeginResult.Started.class));
        // another request under the same key is fine in another tenant: no 409, no 422
        byte[] other = IdempotencyKeys.requestHash("POST", PATH, "{\"inputs\":[3]}".getBytes());
        UUID b = UUID.randomUUID();
        assertThat(keys.begin(tenantB, key, other, UUID.randomUUID(), b), instanceOf(BeginResult.Started.class));

        complete(tenantA, key, a, 200, "application/json", Map.of(), "A".getBytes(), MAX);
        assertArrayEquals("A".getBytes(), ((BeginResult.Replay) begin(tenantA, key, UUID.randomUUID())).body());
        fails(409, "idempotency_in_progress",
                () -> keys.begin(tenantB, key, other, UUID.randomUUID(), UUID.randomUUID()));
        // completing or releasing in one tenant never touches the other
        assertThat(keys.release(tenantA, key, b), equalTo(false));
        assertThat(complete(tenantA, key, b, 200, "application/json", Map.of(), "B".getBytes(), MAX),
                equalTo(Outcome.NOT_HELD));
        assertThat(row(tenantB, key).get("state"), equalTo("IN_PROGRESS"));
    }

    @Test
    void completeRunsInTheCallersTransactionAndRollsBackWithIt() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = newKey();
        UUID first = UUID.randomUUID();
        begin(tenant, key, first);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            assertThat(IdempotencyKeys.complete(c, tenant, key, first, 200, "application/json", Map.of(),
                    "{}".getBytes(), MAX), equalTo(Outcome.STORED));
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(row(tenant, key).get("state"), equalTo("IN_PROGRESS"));
        fails(409, "idempotency_in_progress", () -> begin(tenant, key, UUID.randomUUID()));
    }

    @Test
    void batchCompleteSettlesEachCallInOrder() throws Exception {
        UUID tenant = UUID.randomUUID();
        String stored = newKey();
        String large = newKey();
        String released = newKey();
        String notHeld = newKey();
        String odd = newKey();
        UUID r1 = UUID.randomUUID();
        UUID r2 = UUID.randomUUID();
        UUID r3 = UUID.randomUUID();
        UUID r5 = UUID.randomUUID();
        begin(tenant, stored, r1);
        begin(tenant, large, r2);
        begin(tenant, released, r3);
        begin(tenant, odd, r5);
        List<Outcome> outcomes = completeAll(List.of(
                new Completion(tenant, stored, r1, 201, "application/json", Map.of(), "{}".getBytes()),
                new Completion(tenant, large, r2, 200, "application/json", Map.of(), new byte[200]),
                new Completion(tenant, released, r3, 503, "application/json", Map.of(), "{}".getBytes()),
                new Completion(tenant, notHeld, UUID.randomUUID(), 200, "application/json", Map.of(), null),
                // a header PostgreSQL could not store as it is: kept out, like a too large answer
                new Completion(tenant, odd, r5, 200, "x".repeat(101), Map.of("x-nul", "a\0b"), null)), 100);
        assertThat(outcomes, equalTo(List.of(Outcome.STORED, Outcome.TOO_LARGE, Outcome.RELEASED, Outcome.NOT_HELD,
                Outcome.TOO_LARGE)));
        assertThat(row(tenant, stored).get("status_code"), equalTo(201));
        assertThat(row(tenant, large).get("state"), equalTo("TOO_LARGE"));
        assertThat(rows(tenant, released), equalTo(0L));
        assertThat(rows(tenant, notHeld), equalTo(0L));
        assertThat(row(tenant, odd).get("state"), equalTo("TOO_LARGE"));
    }

    @Test
    void forgetDeletesKeysWhateverTheirState() throws Exception {
        UUID tenant = UUID.randomUUID();
        String done = newKey();
        String running = newKey();
        UUID r1 = UUID.randomUUID();
        UUID r2 = UUID.randomUUID();
        begin(tenant, done, r1);
        begin(tenant, running, r2);
        complete(tenant, done, r1, 200, "application/json", Map.of(), "{}".getBytes(), MAX);
        try (Connection c = db.connection()) {
            IdempotencyKeys.forget(c, List.of(new Completion(tenant, done, r1, 0, null, null, null),
                    new Completion(tenant, running, r2, 0, null, null, null)));
        }
        assertThat(rows(tenant, done), equalTo(0L));
        assertThat(rows(tenant, running), equalTo(0L));
        assertThat(begin(tenant, done, UUID.randomUUID()), instanceOf(BeginResult.Started.class));
    }

    @Test
    void requestHashSeparatesMethodPathAndBody() {
        byte[] base = IdempotencyKeys.requestHash("POST", "/v2/models/a/infer", "{}".getBytes());
        assertArrayEquals(base, IdempotencyKeys.requestHash("POST", "/v2/models/a/infer", "{}".getBytes()));
        assertThat(base.length, equalTo(32));
        List<byte[]> others = List.of(IdempotencyKeys.requestHash("PUT", "/v2/models/a/infer", "{}".getBytes()),
                IdempotencyKeys.requestHash("POST", "/v2/models/b/infer", "{}".getBytes()),
                IdempotencyKeys.requestHash("POST", "/v2/models/a/infer", "{ }".getBytes()),
                // the same bytes split differently between the parts
                IdempotencyKeys.requestHash("POST/", "v2/models/a/infer", "{}".getBytes()),
                IdempotencyKeys.requestHash("POST", "/v2/models/a/infer{", "}".getBytes()));
        for (byte[] other : others) {
            assertThat(java.util.Arrays.equals(base, other), equalTo(false));
        }
    }
}
