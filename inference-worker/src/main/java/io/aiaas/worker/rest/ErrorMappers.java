package io.aiaas.worker.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceException;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.protocol.ProtocolException;
import io.aiaas.protocol.SafeText;
import io.aiaas.worker.inference.InferenceFailedException;
import io.aiaas.worker.inference.InferenceUnavailableException;
import io.aiaas.worker.inference.InputRejectedException;
import io.aiaas.worker.model.ModelLoadFailedException;
import io.aiaas.worker.model.ModelNotFoundException;
import io.aiaas.worker.model.ModelNotReadyException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Locale;

/**
 * Turns every exception that reaches JAX-RS into an Open Inference Protocol {@code {"error": ...}} body: the one
 * place that decides statuses. Messages name the problem, never a stack trace, a Java class or ONNX Runtime's
 * internals; 5xx bodies say only what kind of failure it was.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Seconds after which a retry of a 503 that a retry can cure is worth it. */
    static final String RETRY_AFTER_SECONDS = "1";

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(SafeText.forMessage(message, 2000))).build();
    }

    private static Response retryableError(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(new ErrorBody(SafeText.forMessage(message, 2000))).build();
    }

    @ServerExceptionMapper
    public Response protocol(ProtocolException e) {
        return error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return error(400, e.getMessage());
    }

    /** The tensors do not fit the signature; the message names the tensor. */
    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return error(400, e.getMessage());
    }

    /** The model's graph refused values that passed validation: the client's, named with the model. */
    @ServerExceptionMapper
    public Response rejected(InputRejectedException e) {
        return error(400, e.getMessage());
    }

    /** Ours and passing (memory, GPU, an unload in between): a retry can succeed. */
    @ServerExceptionMapper
    public Response unavailable(InferenceUnavailableException e) {
        LOG.warnf("%s", e.getMessage());
        return retryableError(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response engineUnavailable(EngineUnavailableException e) {
        LOG.warnf("engine unavailable: %s", e.getMessage());
        return retryableError(503, "the model cannot run right now (" + e.getMessage() + "); retry shortly");
    }

    /** A loaded model that cannot run at all: ours, and a retry does not help. */
    @ServerExceptionMapper
    public Response failed(InferenceFailedException e) {
        LOG.errorf("%s", e.getMessage());
        return error(500, e.getMessage());
    }

    @ServerExceptionMapper
    public Response inference(InferenceException e) {
        LOG.errorf("inference failed: %s", e.getMessage());
        return error(500, "the model cannot run");
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(400, ProtocolException.malformedJson(e).getMessage());
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
        return e.loading() ? retryableError(503, e.getMessage()) : error(503, e.getMessage());
    }

    /** A bad artifact or example is the caller's problem (422); an unreachable control plane is a bad gateway (502). */
    @ServerExceptionMapper
    public Response loadFailed(ModelLoadFailedException e) {
        return error(e.badArtifact() ? 422 : 502, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noRoute(NotFoundException e, HttpServerRequest request) {
        return error(404, "no endpoint at " + SafeText.forMessage(request.path(), 200));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        return error(405, "method " + SafeText.forMessage(request.method().name(), 20) + " is not allowed on "
                + SafeText.forMessage(request.path(), 200));
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return error(415, "unsupported content type; send application/json (or application/octet-stream with Inference-Header-Content-Length)");
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return error(406, "this endpoint answers application/json only");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return error(400, ProtocolException.malformedJson(json).getMessage());
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed with %d", status);
            return error(status, "internal error");
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        return error(status, info.getReasonPhrase().toLowerCase(Locale.ROOT));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error", e);
        return error(500, "internal error");
    }
}
