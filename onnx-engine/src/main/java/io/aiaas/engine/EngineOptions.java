package io.aiaas.engine;

/**
 * How the engine runs models: the device (AUTO picks CUDA when its provider works, else CPU), the ONNX Runtime
 * thread pools per session, and the CUDA device id.
 */
public record EngineOptions(Device device, int intraOpThreads, int interOpThreads, int cudaDeviceId) {

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
    }

    /** AUTO device, one intra-op and one inter-op thread (faster than ORT's default pool on small hosts), GPU 0. */
    public static EngineOptions defaults() {
        return new EngineOptions(Device.AUTO, 1, 1, 0);
    }

    public static EngineOptions cpu() {
        return new EngineOptions(Device.CPU, 1, 1, 0);
    }
}
