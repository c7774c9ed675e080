package io.aiaas.engine;

import java.time.Duration;

/**
 * How the engine runs models: the device (AUTO picks CUDA when its provider works, else CPU), the ONNX Runtime
 * thread pools per session, the CUDA device id and provider options ({@link CudaOptions}, with whether a node asked
 * for CUDA may start on CPU), and the longest one run may take ({@code maxRunTime}, null for no limit): a model whose
 * work is sized by its input (a Loop trip count, a Range limit) must not let one request hold a thread for ever.
 */
public record EngineOptions(Device device, int intraOpThreads, int interOpThreads, int cudaDeviceId,
        Duration maxRunTime, CudaOptions cuda) {

    /** Where sessions run. */
    public enum Device { AUTO, CPU, CUDA }

    public EngineOptions {
        if (device == null) {
            device = Device.AUTO;
        }
        if (intraOpThreads < 1 || interOpThreads < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1, got intra-op " + intraOpThreads
                    + " and inter-op " + interOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("cudaDeviceId must be >= 0, got " + cudaDeviceId);
        }
        if (maxRunTime != null && (maxRunTime.isNegative() || maxRunTime.isZero())) {
            maxRunTime = null;
        }
        if (cuda == null) {
            cuda = CudaOptions.defaults();
        }
    }

    /** Options with ONNX Runtime's CUDA defaults and no CPU fallback. */
    public EngineOptions(Device device, int intraOpThreads, int interOpThreads, int cudaDeviceId, Duration maxRunTime) {
        this(device, intraOpThreads, interOpThreads, cudaDeviceId, maxRunTime, null);
    }

    /** Options without a run time limit. */
    public EngineOptions(Device device, int intraOpThreads, int interOpThreads, int cudaDeviceId) {
        this(device, intraOpThreads, interOpThreads, cudaDeviceId, null, null);
    }

    /** The same options with another run time limit (null or zero: none). */
    public EngineOptions withMaxRunTime(Duration limit) {
        return new EngineOptions(device, intraOpThreads, interOpThreads, cudaDeviceId, limit, cuda);
    }

    /** The same options with other CUDA provider options. */
    public EngineOptions withCuda(CudaOptions options) {
        return new EngineOptions(device, intraOpThreads, interOpThreads, cudaDeviceId, maxRunTime, options);
    }

    /** AUTO device, one intra-op and one inter-op thread (faster than ORT's default pool on small hosts), GPU 0. */
    public static EngineOptions defaults() {
        return new EngineOptions(Device.AUTO, 1, 1, 0);
    }

    public static EngineOptions cpu() {
        return new EngineOptions(Device.CPU, 1, 1, 0);
    }
}
