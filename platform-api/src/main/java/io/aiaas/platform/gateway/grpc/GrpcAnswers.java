package io.aiaas.platform.gateway.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.common.error.ErrorBodies;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gRPC side of a gateway answer: its headers become response metadata, an error status becomes the gRPC status
 * of the same meaning, with the Open Inference Protocol error text as its description and the error's code in
 * {@code x-aiaas-error-code}.
 */
final class GrpcAnswers {

    static final String ERROR_CODE = "x-aiaas-error-code";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GrpcAnswers() {
    }

    /**
     * Copies what the HTTP answer tells the client besides its body (cost, limits, device, version, Retry-After, a
     * named version's Deprecation, Sunset and successor Link).
     */
    static void copyHeaders(Response response, GrpcCall call) {
        for (Map.Entry<String, List<Object>> header : response.getHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean forClient = name.startsWith("x-") || name.equals("retry-after") || name.equals("deprecation")
                    || name.equals("sunset") || name.equals("link");
            if (!forClient || name.equals("x-request-id")) {
                continue;
            }
            for (Object value : header.getValue()) {
                String text = String.valueOf(value);
                if (printableAscii(text)) {
                    call.send(name, text);
                }
            }
        }
    }

    /** The gRPC status of an HTTP error status. */
    static Status.Code codeOf(int httpStatus) {
        return switch (httpStatus) {
            case 400, 413, 415, 422 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.NOT_FOUND;
            case 409 -> Status.Code.ABORTED;
            case 429 -> Status.Code.RESOURCE_EXHAUSTED;
            // the worker failed while running the model: not a transient transport fault that clients may retry
            // on their own (UNAVAILABLE), a retry may fail the same way
            case 502 -> Status.Code.INTERNAL;
            case 503 -> Status.Code.UNAVAILABLE;
            case 504 -> Status.Code.DEADLINE_EXCEEDED;
            default -> Status.Code.INTERNAL;
        };
    }

    /** The failure to send for an error answer; its metadata goes out with the call's trailers. */
    static StatusRuntimeException failure(Response response, GrpcCall call) {
        copyHeaders(response, call);
        String message = ErrorBodies.reasonPhrase(response.getStatus());
        if (response.getEntity() instanceof byte[] body && body.length > 0) {
            try {
                JsonNode error = JSON.readTree(body);
                if (error.path("error").isTextual()) {
                    message = error.get("error").textValue();
                }
                if (error.path("code").isTextual() && printableAscii(error.get("code").textValue())) {
                    call.send(ERROR_CODE, error.get("code").textValue());
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: the reason phrase says enough, and nothing unchecked is echoed
            }
        }
        return Status.fromCode(codeOf(response.getStatus())).withDescription(message).asRuntimeException();
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
