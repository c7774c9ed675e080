package io.aiaas.worker.rest;

/** The Open Inference Protocol error body: {@code {"error": "..."}}. */
public record ErrorBody(String error) {
}
