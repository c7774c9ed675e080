package io.aiaas.console.api;

import java.util.List;
import java.util.Map;

/**
 * An error answer of platform-api (RFC 9457 problem JSON), carried up to the page that made the call so that it can
 * show the message next to the form or action that caused it.
 *
 * @param status the HTTP status platform-api answered
 * @param code the problem's {@code code} (e.g. {@code forbidden}, {@code invalid_parameter}), or null
 * @param fieldErrors messages per field for validation problems (field name as platform-api names it)
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final String detail;
    private final Map<String, String> fieldErrors;

    public ApiProblem(int status, String code, String title, String detail, Map<String, String> fieldErrors) {
        super(status + " " + (code != null ? code : "") + ": " + (detail != null ? detail : title), null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.fieldErrors = fieldErrors == null ? Map.of() : Map.copyOf(fieldErrors);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** The error in plain words for a person: the detail, else the title, else a sentence for the status. */
    public String message() {
        String base = detail != null && !detail.isBlank() ? detail : title != null && !title.isBlank() ? title : null;
        if (base == null) {
            base = switch (status) {
                case 401 -> "Your session has expired. Sign in again.";
                case 403 -> "You are not allowed to do this.";
                case 404 -> "Not found.";
                case 409 -> "This conflicts with the current state; reload the page and try again.";
                case 429 -> "Too many requests; try again in a moment.";
                default -> status >= 500 ? "The platform could not answer; try again in a moment."
                        : "The platform refused the request.";
            };
        }
        if (!fieldErrors.isEmpty()) {
            StringBuilder all = new StringBuilder(base);
            fieldErrors.forEach((field, text) -> all.append(' ').append(field).append(": ").append(text).append('.'));
            return all.toString();
        }
        return base;
    }

    /**
     * What a page shows in place of a part it could not read, so that the rest stays readable; an expired session
     * (401) is thrown on, to sign in again.
     */
    public String shownInstead() {
        if (status == 401) {
            throw this;
        }
        return message();
    }

    /** Whether platform-api said the tenant (or the thing) is not there for this person: shown as "no access". */
    public boolean notFound() {
        return status == 404;
    }

    /** Field errors as a list, for templates. */
    public List<Map.Entry<String, String>> fieldErrorList() {
        return List.copyOf(fieldErrors.entrySet());
    }
}
