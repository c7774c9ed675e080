package io.aiaas.platform.idempotency.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What {@link IdempotencyKeys#begin} decided for a call with an {@code Idempotency-Key}: run it ({@link Started}) or
 * answer with the stored response of the first call ({@link Replay}). Every other outcome is an ApiException.
 */
public sealed interface BeginResult permits BeginResult.Started, BeginResult.Replay {

    /** The call holds the key: run it, then complete or release the key with its answer. */
    record Started() implements BeginResult {
    }

    /**
     * The first call's answer, to be sent again unchanged, with {@link #headersToSend()}; the replay is not
     * dispatched and not billed.
     */
    record Replay(int status, String contentType, Map<String, String> headers, byte[] body, UUID originalRequestId)
            implements BeginResult {

        public Replay {
            headers = Map.copyOf(headers);
        }

        /** The stored headers plus {@code x-aiaas-idempotent-replay: true} and the original request id. */
        public Map<String, String> headersToSend() {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(IdempotencyKeys.REPLAY_HEADER, "true");
            all.put(IdempotencyKeys.ORIGINAL_REQUEST_ID_HEADER, originalRequestId.toString());
            return all;
        }
    }
}
