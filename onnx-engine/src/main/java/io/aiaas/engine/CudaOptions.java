package io.aiaas.engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The CUDA execution provider's options that matter to an operator, and whether a node asked for CUDA may start on
 * CPU when CUDA cannot be had. {@link #providerOptions(int)} turns them into ONNX Runtime's option strings, the one
 * place that knows their spelling.
 *
 * @param memoryLimitBytes   {@code gpu_mem_limit}: most bytes ONNX Runtime's CUDA arena may hold; 0 for no limit
 * @param arenaExtendStrategy how the CUDA arena grows; null for ONNX Runtime's default (next power of two)
 * @param convAlgoSearch     {@code cudnn_conv_algo_search}; null for ONNX Runtime's default (exhaustive)
 * @param allowCpuFallback   with device CUDA: start on CPU (true) or refuse to start (false) when CUDA cannot be used
 */
public record CudaOptions(long memoryLimitBytes, ArenaExtendStrategy arenaExtendStrategy,
                          ConvAlgoSearch convAlgoSearch, boolean allowCpuFallback) {

    /** {@code arena_extend_strategy}. */
    public enum ArenaExtendStrategy {
        NEXT_POWER_OF_TWO("kNextPowerOfTwo"), SAME_AS_REQUESTED("kSameAsRequested");

        private final String ort;

        ArenaExtendStrategy(String ort) {
            this.ort = ort;
        }

        /** ONNX Runtime's spelling. */
        public String ort() {
            return ort;
        }

        /**
         * Reads {@code kNextPowerOfTwo} or {@code kSameAsRequested} (ONNX Runtime's names, any case) or the enum
         * names ({@code next-power-of-two}, {@code same_as_requested}); blank for null.
         *
         * @throws IllegalArgumentException for anything else, naming the accepted values
         */
        public static ArenaExtendStrategy parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String t = text.trim();
            for (ArenaExtendStrategy s : values()) {
                if (s.ort.equalsIgnoreCase(t) || s.name().equalsIgnoreCase(t.replace('-', '_'))) {
                    return s;
                }
            }
            throw new IllegalArgumentException("CUDA arena extend strategy must be kNextPowerOfTwo or "
                    + "kSameAsRequested, not '" + text + "'");
        }
    }

    /** {@code cudnn_conv_algo_search}. */
    public enum ConvAlgoSearch {
        EXHAUSTIVE, HEURISTIC, DEFAULT;

        /** @throws IllegalArgumentException for anything but exhaustive, heuristic or default (blank: null) */
        public static ConvAlgoSearch parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cuDNN convolution algorithm search must be exhaustive, heuristic "
                        + "or default, not '" + text + "'");
            }
        }
    }

    public CudaOptions {
        if (memoryLimitBytes < 0) {
            throw new IllegalArgumentException("CUDA memory limit must be >= 0 (0: no limit), got " + memoryLimitBytes);
        }
    }

    /** ONNX Runtime's defaults, no CPU fallback. */
    public static CudaOptions defaults() {
        return new CudaOptions(0, null, null, false);
    }

    /**
     * The options as ONNX Runtime's CUDA provider reads them ({@code OrtCUDAProviderOptions.add}); an option left at
     * its default is absent, so ONNX Runtime's own default applies.
     */
    public Map<String, String> providerOptions(int deviceId) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(deviceId));
        if (memoryLimitBytes > 0) {
            options.put("gpu_mem_limit", Long.toString(memoryLimitBytes));
        }
        if (arenaExtendStrategy != null) {
            options.put("arena_extend_strategy", arenaExtendStrategy.ort());
        }
        if (convAlgoSearch != null) {
            options.put("cudnn_conv_algo_search", convAlgoSearch.name());
        }
        return options;
    }
}
