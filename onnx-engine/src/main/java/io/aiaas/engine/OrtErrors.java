package io.aiaas.engine;

import ai.onnxruntime.OrtException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides whose fault an ONNX Runtime failure is, and that turns ONNX Runtime's messages into
 * ones a caller may read (no source paths, C++ signatures, error-code tags or server file names).
 * <p>
 * Why the classification is by message as well as by code: by the time {@code run} reaches ONNX Runtime, the model
 * has passed ONNX Runtime's load-time checks and the inputs have passed ours (names, datatypes, ranks, fixed
 * dimensions). What still fails is nearly always a value the graph cannot take: an index out of range, a Reshape to
 * an impossible size, two dynamic inputs of different lengths, an If branch that fails for the given scalar. Kernels
 * report those as {@code ORT_FAIL}, {@code ORT_INVALID_ARGUMENT} or {@code ORT_RUNTIME_EXCEPTION} (an ORT_ENFORCE
 * that throws), which are the same codes ONNX Runtime uses for its own failures, so the code alone cannot tell.
 * What is ours is recognisable by code or message, and only that is treated as ours:
 * <ul>
 * <li>resources: an allocation that failed ("Failed to allocate", {@code bad_alloc}, CUDA "out of memory"),
 *     the execution provider failing ({@code ORT_EP_FAIL}, {@code ORT_DEVICE_RESET}, CUDA/cuDNN/cuBLAS failures),
 *     a session not in a state to run ({@code ORT_ENGINE_ERROR}, {@code ORT_NO_MODEL}, ...), ONNX Runtime's
 *     environment already released (its default logger gone: the process is shutting down): a retry may succeed,
 *     elsewhere, so {@link EngineUnavailableException};</li>
 * <li>a model that cannot run at all ({@code ORT_NOT_IMPLEMENTED}, {@code ORT_INVALID_GRAPH}, a failure in the
 *     Java binding): {@link InferenceException}.</li>
 * </ul>
 * One exception to "allocation failures are ours": a single buffer larger than this machine's whole memory was
 * sized by the input (a Range limit, a Loop count), so no retry can succeed; that is the input's.
 * Everything else is {@link ModelRejectedInputException}.
 */
final class OrtErrors {

    private static final Pattern CODE_PREFIX = Pattern.compile("^\\s*Error code - ORT_[A-Z_]+ - message:\\s*");
    private static final Pattern ERROR_CODE_TAG = Pattern.compile("\\[ErrorCode:[A-Za-z_]+\\]\\s*");
    private static final Pattern NODE = Pattern.compile(
            "^Non-zero status code returned while running (\\S+) node\\. Name:'([^']*)' Status Message:\\s*");
    private static final Pattern SOURCE_LOCATION = Pattern.compile(
            "^\\S+\\.(?:cc|h|hpp|cpp|cu|cuh|c|inc)(?::\\d+)?\\s+");
    private static final Pattern ANY_SOURCE_PATH = Pattern.compile(
            "\\S*onnxruntime_src\\S*|\\S+\\.(?:cc|hpp|cpp|cu|cuh)(?::\\d+)?|\\S+\\.h:\\d+");
    private static final Pattern MODEL_FILE = Pattern.compile("Load model from .*? failed:\\s*");
    private static final Pattern ONNX_PATH = Pattern.compile("\\S*[/\\\\]\\S*\\.onnx\\b");
    private static final Pattern ALLOCATION = Pattern.compile("requested buffer of size (\\d+)");
    private static final int MAX_MESSAGE = 1000;

    private OrtErrors() {
    }

    /** The typed exception for an {@link OrtException} thrown by {@code OrtSession.run}. */
    static EngineException duringRun(OrtException e) {
        String raw = e.getMessage() == null ? "" : e.getMessage();
        String lower = raw.toLowerCase(Locale.ROOT);
        OrtException.OrtErrorCode code = e.getCode();
        if (allocationFailed(lower)) {
            long size = requestedBytes(raw);
            if (size > totalMemoryBytes()) {
                return new ModelRejectedInputException(describe(raw).withDetail("the input needs a buffer of " + size
                        + " bytes, more than this machine's memory").text());
            }
            return new EngineUnavailableException("out of memory while running the model", e);
        }
        if (lower.contains("defaultlogger")) {
            // "Attempt to use DefaultLogger but none has been registered": the environment was released under the run
            return new EngineUnavailableException("ONNX Runtime is shutting down in this process", e);
        }
        if (executionProviderFailed(lower) || code == OrtException.OrtErrorCode.ORT_EP_FAIL
                || code == OrtException.OrtErrorCode.ORT_DEVICE_RESET) {
            return new EngineUnavailableException("the execution provider (GPU) failed while running the model", e);
        }
        return switch (code) {
            case ORT_ENGINE_ERROR, ORT_NO_MODEL, ORT_MODEL_LOADED, ORT_MODEL_LOAD_CANCELED ->
                    new EngineUnavailableException("the model's session cannot run right now", e);
            case ORT_NOT_IMPLEMENTED, ORT_INVALID_GRAPH, ORT_INVALID_PROTOBUF, ORT_NO_SUCHFILE, ORT_NOT_FOUND,
                    ORT_MODEL_REQUIRES_COMPILATION, ORT_JAVA_UNKNOWN, ORT_OK ->
                    new InferenceException("the model cannot run: " + clean(raw), e);
            case ORT_FAIL, ORT_INVALID_ARGUMENT, ORT_RUNTIME_EXCEPTION -> new ModelRejectedInputException(clean(raw));
            default -> new ModelRejectedInputException(clean(raw));
        };
    }

    private static boolean allocationFailed(String lower) {
        return lower.contains("failed to allocate") || lower.contains("bad_alloc")
                || lower.contains("out of memory") || lower.contains("cudaerrormemoryallocation");
    }

    private static boolean executionProviderFailed(String lower) {
        for (String marker : List.of("cuda failure", "cuda error", "cudnn failure", "cublas failure",
                "cufft failure", "curand failure", "nccl failure", "cudnn_status_", "cublas_status_", "tensorrt")) {
            if (lower.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static long requestedBytes(String raw) {
        Matcher m = ALLOCATION.matcher(raw);
        if (m.find()) {
            try {
                return Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        return -1;
    }

    private static long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Long.MAX_VALUE; // unknown: treat every allocation failure as ours
    }

    /**
     * ONNX Runtime's message without its error-code prefix, source locations, C++ signatures, enforce conditions and
     * server paths; the nodes it passes through are named innermost first:
     * {@code node 'unsupported/reshape_0' (Reshape) inside node 'if_1' (If): The input tensor cannot be reshaped ...}.
     */
    static String clean(String raw) {
        return describe(raw).text();
    }

    /** Where (the nodes, outermost first) and what, as {@link #clean} composes them. */
    record Description(List<String> nodes, String detail) {

        Description withDetail(String other) {
            return new Description(nodes, other);
        }

        String text() {
            String text = detail;
            if (!nodes.isEmpty()) {
                StringBuilder where = new StringBuilder(nodes.get(nodes.size() - 1));
                for (int i = nodes.size() - 2; i >= 0; i--) {
                    where.append(" inside ").append(nodes.get(i));
                }
                text = where + ": " + text;
            }
            return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
        }
    }

    static Description describe(String raw) {
        String text = raw == null ? "" : raw;
        text = CODE_PREFIX.matcher(text).replaceFirst("");
        text = ERROR_CODE_TAG.matcher(text).replaceAll("");
        int stack = text.indexOf("Stacktrace:");
        if (stack >= 0) {
            text = text.substring(0, stack);
        }
        List<String> nodes = new ArrayList<>();
        text = text.trim();
        Matcher m;
        while ((m = NODE.matcher(text)).find()) {
            nodes.add("node '" + m.group(2) + "' (" + m.group(1) + ")");
            text = text.substring(m.end()).trim();
        }
        text = withoutSourceLocation(text);
        text = MODEL_FILE.matcher(text).replaceAll("");
        text = ONNX_PATH.matcher(text).replaceAll("the model file");
        text = ANY_SOURCE_PATH.matcher(text).replaceAll("");
        text = text.replaceAll("\\s+", " ").trim();
        if (text.isEmpty()) {
            text = "ONNX Runtime gave no reason";
        }
        return new Description(List.copyOf(nodes), text);
    }

    /**
     * Drops {@code file.h:91 void ns::Class::method(args) condition was false. } in front of an ORT_ENFORCE's or
     * ORT_THROW's message.
     */
    private static String withoutSourceLocation(String text) {
        Matcher location = SOURCE_LOCATION.matcher(text);
        if (!location.find()) {
            return text;
        }
        String rest = text.substring(location.end());
        int open = rest.indexOf('(');
        if (open > 0 && rest.substring(0, open).contains("::")) {
            int depth = 0;
            for (int i = open; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    rest = rest.substring(i + 1);
                    // a const member function or a noexcept one
                    rest = rest.replaceFirst("^\\s*(?:const|noexcept)\\b", "");
                    break;
                }
            }
        }
        int enforced = rest.indexOf(" was false. ");
        if (enforced >= 0) {
            rest = rest.substring(enforced + " was false. ".length());
        } else if (rest.endsWith(" was false.")) {
            rest = "a check in the operator failed";
        }
        return rest.trim();
    }
}
