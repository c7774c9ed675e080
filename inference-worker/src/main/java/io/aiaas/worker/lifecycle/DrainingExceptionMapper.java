package io.aiaas.worker.lifecycle;

import io.aiaas.worker.rest.ErrorBody;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A call refused because the worker drains: 503 with {@code Retry-After: 1} and {@code x-aiaas-draining: true}, so the
 * control plane tries another worker and sends this one no new calls (the header, not the message, says it drains).
 */
public class DrainingExceptionMapper {

    @ServerExceptionMapper
    public Response draining(WorkerDrainingException e) {
        return Response.status(503).header("Retry-After", "1").header("x-aiaas-draining", "true").type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(e.getMessage())).build();
    }
}
