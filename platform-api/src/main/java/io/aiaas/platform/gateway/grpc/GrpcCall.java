package io.aiaas.platform.gateway.grpc;

import io.grpc.Context;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.List;

/**
 * What one gRPC call carries beside its message: the caller's metadata and address, the request id the platform gave
 * it, and the metadata to send back (in the response headers, or in the trailers of an answer that has none).
 */
final class GrpcCall {

    static final Context.Key<GrpcCall> KEY = Context.key("io.aiaas.grpc-call");
    static final Metadata.Key<String> AUTHORIZATION = ascii("authorization");
    static final Metadata.Key<String> IDEMPOTENCY_KEY = ascii("idempotency-key");
    static final Metadata.Key<String> REQUEST_ID = ascii("x-request-id");
    static final Metadata.Key<String> X_FORWARDED_FOR = ascii("x-forwarded-for");

    private final String authorization;
    private final List<String> idempotencyKeys;
    private final String requestId;
    private final String client;
    private final Metadata outgoing = new Metadata();

    GrpcCall(String authorization, List<String> idempotencyKeys, String requestId, String client) {
        this.authorization = authorization;
        this.idempotencyKeys = List.copyOf(idempotencyKeys);
        this.requestId = requestId;
        this.client = client;
        outgoing.put(REQUEST_ID, requestId);
    }

    /** The call being handled on this thread. */
    static GrpcCall current() {
        GrpcCall call = KEY.get();
        if (call == null) {
            throw new IllegalStateException("no gRPC call in context: GrpcCallInterceptor is not registered");
        }
        return call;
    }

    static Metadata.Key<String> ascii(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    /**
     * The {@code authorization} metadata as the gateway reads an {@code Authorization} header: {@code Bearer <key>};
     * a bare key is taken as one.
     */
    String authorization() {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value : "Bearer " + value;
    }

    /** Every idempotency-key entry of the metadata, in order (the gateway refuses more than one). */
    List<String> idempotencyKeys() {
        return idempotencyKeys;
    }

    /** All values of a metadata key; an empty list when it is absent. */
    static List<String> all(Metadata metadata, Metadata.Key<String> key) {
        Iterable<String> values = metadata.getAll(key);
        List<String> list = new ArrayList<>();
        if (values != null) {
            values.forEach(list::add);
        }
        return list;
    }

    String requestId() {
        return requestId;
    }

    /** The caller's address: the connection's, or what the trusted proxies say; null if unknown. */
    String client() {
        return client;
    }

    /** Adds metadata to send back. */
    synchronized void send(String name, String value) {
        outgoing.put(ascii(name), value);
    }

    synchronized void mergeInto(Metadata metadata) {
        metadata.merge(outgoing);
    }
}
