package io.aiaas.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns every error answer of platform-api into an {@link ApiProblem}: the problem JSON's code, title, detail and
 * field errors when the body is one, the status alone otherwise (a proxy's HTML page, an empty body).
 */
public class ProblemMapper implements ResponseExceptionMapper<ApiProblem> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ApiProblem toThrowable(Response response) {
        return from(response.getStatus(), readBody(response));
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    /** Parses a problem JSON body (or anything else) answered with the given status. */
    public static ApiProblem from(int status, String body) {
        if (body == null || body.isBlank()) {
            return new ApiProblem(status, null, null, null, null);
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                return new ApiProblem(status, null, null, null, null);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            JsonNode errors = node.path("violations");
            if (errors.isArray()) {
                for (JsonNode e : errors) {
                    String field = text(e, "field");
                    String message = text(e, "message");
                    if (field != null && message != null) {
                        fields.merge(field, message, (a, b) -> a + "; " + b);
                    }
                }
            }
            String code = text(node, "code");
            if (code == null) {
                code = text(node, "error");
            }
            return new ApiProblem(status, code, text(node, "title"), text(node, "detail"), fields);
        } catch (Exception notJson) {
            return new ApiProblem(status, null, null, null, null);
        }
    }

    private static String readBody(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
