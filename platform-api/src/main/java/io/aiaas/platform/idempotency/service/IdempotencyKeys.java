package io.aiaas.platform.idempotency.service;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.idempotency.IdempotencyConfig;
import io.aiaas.platform.idempotency.persistence.IdempotencyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The store behind {@code Idempotency-Key} on inference calls: a retry with the same key of the same tenant within
 * {@code aiaas.idempotency.ttl} is never billed twice; it gets the first call's stored answer, or a 409 that says why
 * it cannot. See docs/idempotency.md.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** Request header carrying the key. */
    public static final String HEADER = "Idempotency-Key";
    /** Response header on a replayed answer. */
    public static final String REPLAY_HEADER = "x-aiaas-idempotent-replay";
    /** Response header on a replayed answer: the request id of the call whose answer it is. */
    public static final String ORIGINAL_REQUEST_ID_HEADER = "x-aiaas-original-request-id";
    /** Longest key, the width of {@code idempotency_keys.idem_key}. */
    public static final int MAX_KEY_LENGTH = 255;

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);
    /** A claim loses its race only when the row changed between two statements; a few rounds settle it. */
    private static final int ATTEMPTS = 3;

    private final IdempotencyRepository repository;
    private final IdempotencyConfig config;

    IdempotencyKeys(IdempotencyRepository repository, IdempotencyConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /**
     * Claims the key for a call before it runs: {@link BeginResult.Started} when the call should run (then
     * {@link #complete} or {@link #release} it), {@link BeginResult.Replay} when the first call's answer is kept.
     * One statement when the key is new.
     *
     * @throws ApiException 400 {@code invalid_idempotency_key} for a key that is not 1-255 printable ASCII
     *         characters; 422 {@code idempotency_key_reused} when the key belongs to a different request; 409
     *         {@code idempotency_in_progress} (Retry-After: 1) while the first call runs, {@code
     *         idempotency_response_too_large} when its answer was too large to keep, {@code
     *         idempotency_response_lost} when it was billed but its answer was not kept
     */
    public BeginResult begin(UUID tenantId, String key, byte[] requestHash, UUID holder, UUID requestId) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(requestId, "requestId");
        validateKey(key);
        if (requestHash == null || requestHash.length != 32) {
            throw new IllegalArgumentException("requestHash must be a SHA-256 digest (see requestHash(...))");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Boolean> claimed = repository.claim(tenantId, key, requestHash, holder, requestId,
                    config.lockTimeout(), config.ttl());
            if (claimed.isPresent()) {
                if (!claimed.get()) {
                    LOG.debugf("idempotency key of tenant %s taken over by request %s", tenantId, requestId);
                }
                return new BeginResult.Started();
            }
            Optional<IdempotencyRepository.Row> row = repository.read(tenantId, key, requestHash);
            if (row.isEmpty()) {
                continue; // released or swept between the two statements: claim again
            }
            BeginResult decided = decide(row.get());
            if (decided != null) {
                return decided;
            }
        }
        throw inProgress();
    }

    /** The answer for a key that is held; null when it became free meanwhile and may be claimed again. */
    private static BeginResult decide(IdempotencyRepository.Row row) {
        if (row.expired()) {
            return null;
        }
        if (!row.sameRequest()) {
            throw ApiException.of(422, "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request (another model, version or body);"
                            + " use a new key for a new request");
        }
        switch (row.state()) {
            case "DONE":
                return new BeginResult.Replay(row.status(), row.contentType(), row.headers(), row.body(),
                        row.requestId());
            case "TOO_LARGE":
                throw ApiException.conflict("idempotency_response_too_large",
                        "The request with this Idempotency-Key completed (request " + row.requestId() + "), but its"
                                + " response was too large to keep for replay");
            default:
                if (!row.lockExpired()) {
                    throw inProgress();
                }
                if (row.billed()) {
                    throw ApiException.conflict("idempotency_response_lost",
                            "The request with this Idempotency-Key completed and was billed (request "
                                    + row.requestId() + "), but its response was not kept; it is not run again");
                }
                return null;
        }
    }

    private static ApiException inProgress() {
        return ApiException.conflict("idempotency_in_progress",
                "A request with this Idempotency-Key is still running; retry after it completes", 1);
    }

    /** Deletes the key of a call whose answer must not be replayed, so that a retry runs again. */
    public boolean release(UUID tenantId, String key, UUID requestId) {
        return repository.release(tenantId, key, requestId);
    }

    /** The configured {@code aiaas.idempotency.max-response-bytes}, for {@link #complete}. */
    public long maxResponseBytes() {
        return config.maxResponseBytes().asLongValue();
    }

    /**
     * Settles a call's key with its answer, as one UPDATE (or DELETE) on the caller's connection, so that the answer
     * commits together with the call's billable usage row: a 2xx or 4xx answer is stored (TOO_LARGE without the body
     * when over {@code maxBytes}), a 5xx or 429 releases the key.
     */
    public static Completion.Outcome complete(Connection connection, UUID tenantId, String key, UUID requestId,
            int status, String contentType, Map<String, String> headers, byte[] body, long maxBytes)
            throws SQLException {
        return complete(connection,
                List.of(new Completion(tenantId, key, requestId, status, contentType, headers, body)), maxBytes)
                .get(0);
    }

    /** {@link #complete(Connection, UUID, String, UUID, int, String, Map, byte[], long)} for a batch, in one round trip per kind. */
    public static List<Completion.Outcome> complete(Connection connection, List<Completion> completions,
            long maxBytes) throws SQLException {
        return IdempotencyRepository.complete(connection, completions, maxBytes);
    }

    /**
     * Deletes the keys of these calls whatever their state (only the key, tenant and request id of each are read), on
     * the caller's connection: for calls whose usage rows are withdrawn or unbilled, whose stored answer (if any) is
     * not what the client got.
     */
    public static void forget(Connection connection, List<Completion> calls) throws SQLException {
        IdempotencyRepository.forget(connection, calls);
    }

    /**
     * What identifies a request for its key: SHA-256 over the method, the path (model and version) and the body, each
     * framed by its length so that no two different requests share an input.
     */
    public static byte[] requestHash(String method, String path, byte[] body) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (byte[] part : List.of(method.getBytes(StandardCharsets.UTF_8), path.getBytes(StandardCharsets.UTF_8),
                body == null ? new byte[0] : body)) {
            sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(part.length).array());
            sha256.update(part);
        }
        return sha256.digest();
    }

    /**
     * The one key among the values of every {@code Idempotency-Key} header (or gRPC metadata entry) a call carried:
     * null for none. Two or more are refused rather than one picked: HTTP servers and proxies disagree on which of
     * them counts (the first, the last, or all joined by commas), so a retry might be keyed differently.
     *
     * @throws ApiException 400 {@code invalid_idempotency_key} when the header came more than once
     */
    public static String single(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("invalid_idempotency_key", HEADER + " was sent " + values.size()
                    + " times; send one key");
        }
        return values.get(0);
    }

    /** A key is 1 to 255 printable ASCII characters (space to tilde). */
    public static void validateKey(String key) {
        boolean valid = key != null && !key.isEmpty() && key.length() <= MAX_KEY_LENGTH;
        for (int i = 0; valid && i < key.length(); i++) {
            char c = key.charAt(i);
            valid = c >= 0x20 && c <= 0x7e;
        }
        if (!valid) {
            throw ApiException.badRequest("invalid_idempotency_key",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
    }
}
