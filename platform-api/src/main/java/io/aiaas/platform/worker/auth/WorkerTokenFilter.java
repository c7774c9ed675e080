package io.aiaas.platform.worker.auth;

import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.VerifiedToken;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.ErrorBodies;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;

/**
 * Rejects calls to the internal worker API that lack a valid JWT signed by a registered worker key (401), and calls
 * that name a worker ({@code {id}} in the path) other than the caller's own identity (403): a worker acts for its
 * own row only.
 */
@Provider
@WorkerAuthenticated
@Priority(Priorities.AUTHENTICATION)
public class WorkerTokenFilter implements ContainerRequestFilter {

    /** Request property holding the {@link VerifiedToken} of the calling worker. */
    public static final String PROPERTY = "aiaas.worker-token";
    /** The path parameter that names a worker row. */
    static final String WORKER_ID_PARAM = "id";

    private final InternalAuth auth;
    private final CallingWorker caller;

    WorkerTokenFilter(InternalAuth auth, CallingWorker caller) {
        this.auth = auth;
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            request.abortWith(error(request, ApiException.unauthorized("internal_token_invalid",
                    "missing internal token: send Authorization: Bearer <JWT>")));
            return;
        }
        VerifiedToken token;
        try {
            token = auth.verifyWorkerToken(header.substring(7).strip());
        } catch (InvalidTokenException e) {
            request.abortWith(error(request, ApiException.unauthorized("internal_token_invalid",
                    "invalid internal token: " + e.getMessage())));
            return;
        }
        UUID identity = UUID.fromString(token.subject());
        String named = request.getUriInfo().getPathParameters().getFirst(WORKER_ID_PARAM);
        if (named != null && !named.equalsIgnoreCase(identity.toString())) {
            request.abortWith(error(request, ApiException.forbidden("worker_identity_mismatch",
                    "this token belongs to worker " + identity + "; it may act for that worker only")));
            return;
        }
        request.setProperty(PROPERTY, token);
        caller.set(identity, token.keyId());
    }

    private static Response error(ContainerRequestContext request, ApiException e) {
        return ErrorBodies.response(request.getUriInfo().getRequestUri().getPath(), e);
    }
}
