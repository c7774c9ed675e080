package io.aiaas.console.admin;

import io.aiaas.console.api.ApiProblem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Why a form on an admin page did not go through: which form ({@code <form id>}), the message in plain words (shown
 * as {@code <p class="error" id="<form>-error">}) and messages per input beside them. {@link #NONE} on a page shown
 * without a failed form.
 *
 * @param status the HTTP status the re-rendered page answers with
 */
public record FormError(String form, String message, Map<String, String> fields, int status) {

    public static final FormError NONE = new FormError("", null, Map.of(), 200);

    /** platform-api refused: its message and field errors; a 5xx of the API is a 502 of the console. */
    public static FormError of(String form, ApiProblem problem) {
        int status = problem.status() >= 500 ? 502 : problem.status() == 401 ? 401 : problem.status();
        return new FormError(form, problem.message(), problem.fieldErrors(), status);
    }

    /** The console refused the input before calling the API. */
    public static FormError invalid(String form, String message, Map<String, String> fields) {
        return new FormError(form, message, Map.copyOf(fields), 400);
    }

    /** Whether this error belongs to the form with that id. */
    public boolean on(String formId) {
        return form.equals(formId);
    }

    /** The message for one input, or null. */
    public String field(String name) {
        return fields.get(name);
    }

    /** The page re-rendered with this error, answered with the error's status. */
    public Response page(Object template) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template).build();
    }
}
