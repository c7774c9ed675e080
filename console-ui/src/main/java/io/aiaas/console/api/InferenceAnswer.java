package io.aiaas.console.api;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the inference gateway answered, whatever the status: the status, the headers (names lower-cased, first
 * values) and the body as text.
 */
public record InferenceAnswer(int status, Map<String, String> headers, String body) {

    /** Reads a client response fully (the body is buffered already). */
    public static InferenceAnswer of(Response response) {
        Map<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, List<Object>> header : response.getHeaders().entrySet()) {
            if (header.getValue() != null && !header.getValue().isEmpty()) {
                headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), String.valueOf(header.getValue().get(0)));
            }
        }
        String body = "";
        if (response.hasEntity()) {
            try {
                body = response.readEntity(String.class);
            } catch (RuntimeException unreadable) {
                body = "";
            }
        }
        return new InferenceAnswer(response.getStatus(), Map.copyOf(headers), body);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
