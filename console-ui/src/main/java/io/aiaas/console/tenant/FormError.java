package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import java.util.Map;

/**
 * The error to show next to one form of a page after its POST failed: the form's id (the message goes in
 * {@code #<form>-error}), the message in plain words, and messages per field (platform-api's names).
 */
public record FormError(String form, String message, Map<String, String> fields) {

    /** No error on the page. */
    public static final FormError NONE = new FormError(null, null, Map.of());

    public static FormError of(String form, ApiProblem problem) {
        return new FormError(form, problem.message(), problem.fieldErrors());
    }

    public static FormError of(String form, String message) {
        return new FormError(form, message, Map.of());
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

    public boolean any() {
        return form != null;
    }

    /** Whether the error belongs to this form. */
    public boolean on(String id) {
        return id.equals(form);
    }

    /** Whether it belongs to the form of one row, e.g. {@code onRow("rotate-key", key.id)} for {@code rotate-key-<id>}. */
    public boolean onRow(String prefix, Object id) {
        return form != null && form.equals(prefix + "-" + id);
    }

    /** The message for one field, or null. */
    public String field(String name) {
        return fields.get(name);
    }
}
