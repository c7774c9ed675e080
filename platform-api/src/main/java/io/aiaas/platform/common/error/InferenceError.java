package io.aiaas.platform.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The Open Inference Protocol error body, {@code {"error": "..."}}, with our stable machine-readable {@code code}
 * beside it (clients of the protocol read only {@code error}; ours can branch on {@code code}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceError(String error, String code) {
}
