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

/** Rejects calls to the internal worker API that lack a valid control-plane JWT issued to a worker (401). */
@Provider
@WorkerAuthenticated
@Priority(Priorities.AUTHENTICATION)
public class WorkerTokenFilter implements ContainerRequestFilter {

    /** Request property holding the {@link VerifiedToken} of the calling worker. */
    public static final String PROPERTY = "aiaas.worker-token";

    private final InternalAuth auth;

    WorkerTokenFilter(InternalAuth auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            request.abortWith(unauthorized(request, "missing internal token: send Authorization: Bearer <JWT>"));
            return;
        }
        try {
            VerifiedToken token = auth.verifyWorkerToken(header.substring(7).strip());
            request.setProperty(PROPERTY, token);
        } catch (InvalidTokenException e) {
            request.abortWith(unauthorized(request, "invalid internal token: " + e.getMessage()));
        }
    }

    private static Response unauthorized(ContainerRequestContext request, String detail) {
        return ErrorBodies.response(request.getUriInfo().getRequestUri().getPath(),
                ApiException.unauthorized("internal_token_invalid", detail));
    }
}
