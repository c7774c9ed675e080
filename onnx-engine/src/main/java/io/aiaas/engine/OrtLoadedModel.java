package io.aiaas.engine;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** A {@link LoadedModel} backed by one {@link OrtSession}; runs share the session, close waits for them. */
final class OrtLoadedModel implements LoadedModel {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions sessionOptions;
    private final String device;
    private final Duration maxRunTime;
    private final ModelSignature signature;
    private final Map<String, TensorSpec> inputs = new LinkedHashMap<>();
    private final Map<String, TensorSpec> outputs = new LinkedHashMap<>();
    // ONNX Runtime allows concurrent run() calls but not closing a session under a running one.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Runnable onClose;
    private boolean closed;

    /**
     * @param findings what the file scan found; it tells which inputs and outputs declare no shape, which ONNX
     *                 Runtime's Java API cannot (it reports them with an empty shape, like scalars)
     */
    OrtLoadedModel(OrtEnvironment env, OrtSession session, OrtSession.SessionOptions sessionOptions, String device,
                   ExternalDataCheck.Findings findings, Duration maxRunTime, Runnable onClose) throws OrtException {
        this.env = env;
        this.maxRunTime = maxRunTime;
        this.session = session;
        this.sessionOptions = sessionOptions;
        this.device = device;
        this.onClose = onClose;
        for (TensorSpec spec : specs("input", session.getInputInfo(), findings.inputsWithoutShape(), null)) {
            inputs.put(spec.name(), spec);
        }
        List<ModelSignature.OmittedOutput> omitted = new ArrayList<>();
        for (TensorSpec spec : specs("output", session.getOutputInfo(), findings.outputsWithoutShape(), omitted)) {
            outputs.put(spec.name(), spec);
        }
        if (outputs.isEmpty()) {
            throw new ModelLoadException("no output of the model is a tensor (" + omitted.stream()
                    .map(o -> "'" + o.name() + "' is " + o.kind()).toList() + "); the inference protocol carries"
                    + " only tensors");
        }
        this.signature = new ModelSignature(List.copyOf(inputs.values()), List.copyOf(outputs.values()), omitted);
    }

    /**
     * The tensor specs of the inputs or outputs. An input that is not a tensor refuses the model (no call could feed
     * it); an output that is not a tensor goes to {@code omitted} and is never fetched, so that the model still
     * serves its tensor outputs (ONNX Runtime computes only what the fetched outputs need).
     */
    private static List<TensorSpec> specs(String role, Map<String, NodeInfo> infos, Set<String> withoutShape,
            List<ModelSignature.OmittedOutput> omitted) {
        List<TensorSpec> specs = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> entry : infos.entrySet()) {
            ValueInfo info = entry.getValue().getInfo();
            if (!(info instanceof TensorInfo tensorInfo)) {
                if (omitted != null) {
                    omitted.add(new ModelSignature.OmittedOutput(entry.getKey(), kind(info)));
                    continue;
                }
                throw new ModelLoadException(role + " '" + entry.getKey() + "' is " + kind(info)
                        + ", not a tensor; only tensor inputs are supported");
            }
            TensorType type = OrtTensors.typeOf(tensorInfo.onnxType);
            if (type == null) {
                throw new ModelLoadException(role + " '" + entry.getKey() + "' has ONNX element type "
                        + tensorInfo.onnxType + ", which the inference protocol cannot carry");
            }
            long[] shape = tensorInfo.getShape();
            if (shape.length == 0 && withoutShape.contains(entry.getKey())) {
                specs.add(TensorSpec.anyRank(entry.getKey(), type));
                continue;
            }
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = -1;
                }
            }
            specs.add(new TensorSpec(entry.getKey(), type, shape));
        }
        return specs;
    }

    /** What a value that is not a tensor is, in words: "a sequence of maps from string to float". */
    private static String kind(ValueInfo info) {
        if (info instanceof SequenceInfo sequence) {
            return sequence.isSequenceOfMaps() ? "a sequence of maps from " + name(sequence.mapInfo.keyType) + " to "
                    + name(sequence.mapInfo.valueType) : "a sequence of " + name(sequence.sequenceType) + " tensors";
        }
        if (info instanceof MapInfo map) {
            return "a map from " + name(map.keyType) + " to " + name(map.valueType);
        }
        return "of another kind (" + info + ")";
    }

    private static String name(OnnxJavaType type) {
        return type == null ? "unknown" : type.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public InferenceResult run(List<Tensor> given, Set<String> requestedOutputs) {
        Map<String, Tensor> byName = validateInputs(given);
        Set<String> wanted = validateOutputs(requestedOutputs);

        lifecycle.readLock().lock();
        Map<String, OnnxTensor> native_ = new LinkedHashMap<>();
        try {
            if (closed) {
                throw new EngineUnavailableException("model is closed");
            }
            for (Tensor tensor : byName.values()) {
                native_.put(tensor.name(), toNative(tensor));
            }
            long start = System.nanoTime();
            RunLimit limit = RunLimit.start(maxRunTime);
            try (OrtSession.Result result = session.run(native_, wanted, limit.options())) {
                long computeNanos = System.nanoTime() - start;
                List<Tensor> outputTensors = new ArrayList<>(wanted.size());
                for (String name : wanted) {
                    Optional<OnnxValue> value = result.get(name);
                    if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
                        throw new InferenceException("model produced no tensor for output '" + name + "'", null);
                    }
                    outputTensors.add(OrtTensors.fromOrt(name, tensor));
                }
                return new InferenceResult(outputTensors, computeNanos, device);
            } catch (OrtException e) {
                if (limit.fired()) {
                    throw new ModelRejectedInputException("the run took longer than the limit of "
                            + maxRunTime.toMillis() + " ms for one request (the input sizes the model's work: a loop"
                            + " count, a range, an image size)");
                }
                throw e;
            } finally {
                limit.close();
            }
        } catch (OrtException e) {
            throw OrtErrors.duringRun(e);
        } catch (OutOfMemoryError e) {
            // Tensors are copied into and out of Java arrays; a full heap is ours, and passing.
            throw new EngineUnavailableException("out of memory while running the model", e);
        } catch (IllegalStateException e) {
            // ONNX Runtime's "closed session": only reachable if a close slipped past the lock
            throw new EngineUnavailableException("model is closed", e);
        } finally {
            native_.values().forEach(OnnxTensor::close);
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void validate(List<Tensor> given, Set<String> requestedOutputs) {
        validateInputs(given);
        validateOutputs(requestedOutputs);
    }

    private OnnxTensor toNative(Tensor tensor) {
        try {
            return OrtTensors.toOrt(env, tensor);
        } catch (EngineException e) {
            throw e;
        } catch (Exception e) {
            if (tensor.type() == TensorType.UINT16 || tensor.type() == TensorType.UINT32
                    || tensor.type() == TensorType.UINT64) {
                throw new UnsupportedTypeException("input '" + tensor.name() + "' has datatype " + tensor.type()
                        + ", which this ONNX Runtime cannot create");
            }
            throw new InferenceException("cannot create input tensor '" + tensor.name() + "'", e);
        }
    }

    private Map<String, Tensor> validateInputs(List<Tensor> given) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor tensor : given) {
            TensorSpec spec = inputs.get(tensor.name());
            if (spec == null) {
                throw new InvalidInputException("unknown input '" + tensor.name() + "'; the model expects "
                        + inputs.keySet());
            }
            if (byName.put(tensor.name(), tensor) != null) {
                throw new InvalidInputException("input '" + tensor.name() + "' is given more than once");
            }
            if (tensor.type() != spec.datatype()) {
                throw new InvalidInputException("input '" + tensor.name() + "' has datatype " + tensor.type()
                        + " but the model expects " + spec.datatype());
            }
            if (!spec.accepts(tensor.shape())) {
                throw new InvalidInputException("input '" + tensor.name() + "' has shape "
                        + Arrays.toString(tensor.shape()) + " but the model expects "
                        + spec.shapeText() + " (-1 = any size)");
            }
        }
        for (String name : inputs.keySet()) {
            if (!byName.containsKey(name)) {
                throw new InvalidInputException("missing input '" + name + "'");
            }
        }
        return byName;
    }

    private Set<String> validateOutputs(Set<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return new LinkedHashSet<>(outputs.keySet());
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : requested) {
            if (!outputs.containsKey(name)) {
                Optional<ModelSignature.OmittedOutput> omitted = signature.omittedOutputs().stream()
                        .filter(o -> o.name().equals(name)).findFirst();
                throw new InvalidInputException(omitted.map(o -> "output '" + name + "' is " + o.kind()
                        + ", which the inference protocol cannot carry; the model serves " + outputs.keySet())
                        .orElse("unknown output '" + name + "'; the model has " + outputs.keySet()));
            }
        }
        // Model order, so that responses are stable whatever the order of the request.
        for (String name : outputs.keySet()) {
            if (requested.contains(name)) {
                wanted.add(name);
            }
        }
        return wanted;
    }

    @Override
    public WarmUp warmUp(List<Tensor> example) {
        if (example == null) {
            return warmUpWithZeros();
        }
        run(example, Set.of());
        return WarmUp.example();
    }

    @Override
    public WarmUp warmUpWithZeros() {
        try {
            run(zeros(), Set.of());
            return WarmUp.zeros();
        } catch (InvalidInputException e) {
            // Many real models refuse zeros (a branch selector, a token id, a length): still a valid model.
            return WarmUp.skipped("zero-filled inputs failed: " + e.getMessage());
        }
    }

    /** Zero-filled inputs: dynamic dimensions 1, an unknown rank as a scalar, empty strings for BYTES. */
    private List<Tensor> zeros() {
        List<Tensor> zeros = new ArrayList<>();
        for (TensorSpec spec : signature.inputs()) {
            long[] shape = spec.rankKnown() ? spec.shape() : new long[0];
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = 1;
                }
            }
            zeros.add(Tensor.zeros(spec.name(), spec.datatype(), shape));
        }
        return zeros;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                // Nothing to recover: the native memory is released as far as ONNX Runtime can.
            }
            sessionOptions.close();
        } finally {
            lifecycle.writeLock().unlock();
            onClose.run();
        }
    }
}
