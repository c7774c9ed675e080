package io.aiaas.platform.model.service;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A version's example on the model card: the Open Inference Protocol request an admin registered, and the answer
 * the platform got when it ran it. Null on versions without one.
 */
public record ExampleView(@JsonRawValue String request, @JsonRawValue String response) {

    static ExampleView of(String request, String response) {
        return request == null ? null : new ExampleView(request, response);
    }
}
