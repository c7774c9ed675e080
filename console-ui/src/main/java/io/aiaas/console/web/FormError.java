package io.aiaas.console.web;

import io.aiaas.console.api.ApiProblem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a form did not go through, to show next to it when its page is rendered again: which form ({@code <form id>};
 * the message goes in {@code <p class="error" id="<form>-error">}), the message in plain words, messages per input
 * (platform-api's field names), and the HTTP status of the re-rendered page. {@link #NONE} on a page shown without a
 * failed form. Used by the tenant and the admin pages alike.
 *
 * @param status the HTTP status the re-rendered page answers with
 */
public record FormError(String form, String message, Map<String, String> fields, int status) {

    /** No error on the page. */
    public static final FormError NONE = new FormError(null, null, Map.of(), 200);

    /** platform-api refused: its message and field errors; a 5xx of the API is a 502 of the console. */
    public static FormError of(String form, ApiProblem problem) {
        return new FormError(form, problem.message(), problem.fieldErrors(), status(problem));
    }

    /**
     * platform-api refused: its message, and each of its field errors beside the input that takes the field, found by
     * the field path's last segment ({@code put.body.country} is {@code country}) in {@code inputs} (API field name to
     * input name); a field no input takes is left to the message. Two errors of one input are both shown.
     */
    public static FormError beside(String form, ApiProblem problem, Map<String, String> inputs) {
        Map<String, String> fields = new LinkedHashMap<>();
        problem.fieldErrors().forEach((field, message) -> {
            String input = inputs.get(lastSegment(field));
            if (input != null) {
                fields.merge(input, message, (a, b) -> a + "; " + b);
            }
        });
        return new FormError(form, problem.message(), fields, status(problem));
    }

    /** The last segment of a field's path, as platform-api names the field: {@code put.body.country} is {@code country}. */
    public static String lastSegment(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    /** The console refused the input before calling the API (400). */
    public static FormError of(String form, String message) {
        return new FormError(form, message, Map.of(), 400);
    }

    /**
     * The console found nothing the form could act on before calling the API (404): an id in the path that no row can
     * have.
     */
    public static FormError notFound(String form, String message) {
        return new FormError(form, message, Map.of(), 404);
    }

    /** The console refused some inputs before calling the API (400), with a message per input. */
    public static FormError invalid(String form, String message, Map<String, String> fields) {
        return new FormError(form, message, Map.copyOf(fields), 400);
    }

    /**
     * Whether a POST's problem belongs next to its form; otherwise it escapes to the error pages: an expired session
     * (401), and a tenant this person cannot see (the 403 page, nothing of the tenant shown).
     */
    public static boolean inline(ApiProblem problem) {
        return problem.status() != 401 && !"tenant_not_found".equals(problem.code())
                && !(problem.status() == 404 && problem.code() == null);
    }

    /** The HTTP status of a page re-rendered with this problem: the API's 4xx, 502 when it failed. */
    public static int status(ApiProblem problem) {
        return problem.status() >= 500 ? 502 : problem.status();
    }

    /** Whether there is an error at all. */
    public boolean any() {
        return form != null;
    }

    /** Whether the error belongs to the form with that id. */
    public boolean on(String formId) {
        return form != null && form.equals(formId);
    }

    /** Whether it belongs to the form of one row, e.g. {@code onRow("rotate-key", key.id)} for {@code rotate-key-<id>}. */
    public boolean onRow(String prefix, Object id) {
        return form != null && form.equals(prefix + "-" + id);
    }

    /** The message for one input, or null. */
    public String field(String name) {
        return fields.get(name);
    }

    /**
     * The message for one input of the form with that id, or null: for a page whose forms have inputs of the same name
     * (an amount on each), so that one form's refusal is not shown beside another's input.
     */
    public String fieldOn(String formId, String name) {
        return on(formId) ? fields.get(name) : null;
    }

    /** The page re-rendered with this error, answered with the error's status. */
    public Response page(Object template) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template).build();
    }
}
