package io.aiaas.console.web;

import io.aiaas.console.api.ApiProblem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What a person sees when a page cannot be shown: the 403 page for a tenant they do not belong to (platform-api's 404
 * included, so nothing tells an outsider whether the tenant exists), a plain-words error page otherwise. Never a
 * stack trace, never a blank page. Page scripts ({@code X-Requested-With: JavaScript}) get the same as JSON.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance forbidden();

        static native TemplateInstance error(int status, String heading, String message);
    }

    @ServerExceptionMapper
    public Response noAccess(NoAccess e, HttpHeaders headers) {
        return page(headers, 403, "forbidden", "You do not have access to this page.", Templates.forbidden());
    }

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e, HttpHeaders headers, UriInfo uri) {
        if ((e.status() == 404 || e.status() == 403) && uri.getPath().startsWith("/t/")) {
            return noAccess(new NoAccess(), headers);
        }
        int status = e.status() >= 500 ? 502 : e.status() == 401 ? 401 : e.status();
        String heading = switch (status) {
            case 401 -> "Your session has expired";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 502 -> "The platform could not answer";
            default -> "That did not work";
        };
        if (status == 502) {
            LOG.warnf("platform-api answered %s on %s", e.getMessage(), uri.getPath());
        }
        return page(headers, status, e.code(), e.message(), Templates.error(status, heading, e.message()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpHeaders headers) {
        int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
        if (status < 400) {
            return e.getResponse();
        }
        String heading = status == 404 ? "Not found" : status == 405 ? "Not allowed here" : "That did not work";
        String message = status == 404 ? "There is no such page." : status >= 500
                ? "Something went wrong on our side; try again in a moment."
                : "The request could not be understood.";
        if (status >= 500) {
            LOG.error("console error", e);
        }
        return page(headers, status, null, message, Templates.error(status, heading, message));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, HttpHeaders headers) {
        LOG.error("console error", e);
        String message = "Something went wrong on our side; try again in a moment.";
        return page(headers, 500, null, message, Templates.error(500, "Something went wrong", message));
    }

    private static Response page(HttpHeaders headers, int status, String code, String message, TemplateInstance page) {
        if (fromScript(headers)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status);
            body.put("code", code);
            body.put("message", message);
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    /** Whether the request came from a page script rather than the browser's navigation. */
    public static boolean fromScript(HttpHeaders headers) {
        return "JavaScript".equalsIgnoreCase(headers.getHeaderString("X-Requested-With"));
    }
}
