package io.aiaas.worker.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aiaas.engine.InferenceException;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.worker.model.ModelLoadFailedException;
import io.aiaas.worker.model.ModelNotFoundException;
import io.aiaas.worker.model.ModelNotReadyException;
import io.aiaas.protocol.ProtocolException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every exception that reaches JAX-RS into an Open Inference Protocol {@code {"error": ...}} body. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(message)).build();
    }

    @ServerExceptionMapper
    public Response protocol(ProtocolException e) {
        return error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return error(400, e.getMessage());
    }

    /** ONNX Runtime failed on inputs that passed validation: our side, but the message helps the caller. */
    @ServerExceptionMapper
    public Response inference(InferenceException e) {
        LOG.warnf("inference failed: %s", e.getMessage());
        return error(500, "inference failed: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(400, "malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response tooLarge(RequestTooLargeException e) {
        return error(413, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(ModelNotFoundException e) {
        return error(404, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notReady(ModelNotReadyException e) {
        return error(503, e.getMessage());
    }

    /** A bad artifact is the caller's problem (422); an unreachable control plane is a bad gateway (502). */
    @ServerExceptionMapper
    public Response loadFailed(ModelLoadFailedException e) {
        return error(e.badArtifact() ? 422 : 502, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noRoute(NotFoundException e, UriInfo uri) {
        return error(404, "no endpoint at /" + uri.getPath().replaceFirst("^/", ""));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        return error(405, "method " + request.method() + " is not allowed on " + request.path());
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return error(415, "unsupported content type; send application/json");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return error(400, "malformed JSON: " + json.getOriginalMessage());
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed with %d", status);
            return error(status, "internal error");
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        return error(status, info.getReasonPhrase().toLowerCase());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error", e);
        return error(500, "internal error");
    }
}
