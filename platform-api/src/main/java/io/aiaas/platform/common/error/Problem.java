package io.aiaas.platform.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * RFC 9457 problem details, the error body of every API except the Open Inference Protocol (/v2).
 *
 * @param violations for validation errors only: which field broke which rule
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, List<Violation> violations) {

    /** One broken validation rule. */
    public record Violation(String field, String message) {
    }
}
