package io.aiaas.platform.gateway.grpc;

import io.aiaas.platform.common.net.ClientAddresses;
import io.aiaas.platform.common.web.RequestIds;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Gives each gRPC call of the inference service its {@link GrpcCall}: reads the caller's metadata, makes the request
 * id (always a fresh one, as for HTTP: it keys the usage row, so a client must not choose it), finds the caller's
 * address as for HTTP ({@link ClientAddresses}: a trusted proxy's {@code x-forwarded-for} metadata), and sends what the
 * handler collected back with the response headers, or with the trailers when the call fails before any header.
 */
@ApplicationScoped
public class GrpcCallInterceptor implements ServerInterceptor {

    private final ClientAddresses addresses;

    GrpcCallInterceptor(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        String caller = addresses.callerOf(client(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
                () -> GrpcCall.all(headers, GrpcCall.X_FORWARDED_FOR));
        GrpcCall grpcCall = new GrpcCall(headers.get(GrpcCall.AUTHORIZATION),
                GrpcCall.all(headers, GrpcCall.IDEMPOTENCY_KEY), RequestIds.newId(), caller);
        // on the event loop, in the call's own Vert.x context: its handler and callbacks log with the id
        RequestIds.toMdc(grpcCall.requestId());
        ServerCall<Q, A> answering = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            private boolean headersSent;

            @Override
            public void sendHeaders(Metadata responseHeaders) {
                grpcCall.mergeInto(responseHeaders);
                headersSent = true;
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (!headersSent) {
                    grpcCall.mergeInto(trailers);
                }
                super.close(status, trailers);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(GrpcCall.KEY, grpcCall), answering, headers, next);
    }

    private static String client(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }
}
