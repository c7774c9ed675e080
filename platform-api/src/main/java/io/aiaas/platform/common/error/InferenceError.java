package io.aiaas.platform.common.error;

/** The Open Inference Protocol error body: {@code {"error": "..."}}. */
public record InferenceError(String error) {
}
