package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Thrown when an Open Inference Protocol request body is malformed; the message names the tensor or field at fault. */
public class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }

    /** "malformed JSON: " and Jackson's reason without parser internals (see {@link SafeText#jsonProblem}). */
    public static ProtocolException malformedJson(JsonProcessingException e) {
        return new ProtocolException("malformed JSON: " + SafeText.jsonProblem(e));
    }
}
