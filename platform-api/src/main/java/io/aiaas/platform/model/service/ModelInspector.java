package io.aiaas.platform.model.service;

import io.aiaas.engine.EngineException;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.ModelSignature;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.engine.WarmUp;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.model.ModelConfig;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.InferenceRequest;
import io.aiaas.protocol.InferenceResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import io.aiaas.engine.ModelArchive;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import org.jboss.logging.Logger;

/**
 * Proves an uploaded file is a servable ONNX model before it is registered: ONNX Runtime loads it on CPU from the
 * stored file and its signature is derived. A warm-up with zero-filled inputs is tried, but many real models refuse
 * zeros (a token id that indexes an embedding, a length that sizes a Reshape), so a failing one is recorded as
 * skipped rather than refusing the model; an admin's example request, when given, must run.
 */
@ApplicationScoped
public class ModelInspector {

    private static final Logger LOG = Logger.getLogger(ModelInspector.class);

    /** What inspection learned: the signature and how the warm-up went. */
    public record Inspection(ModelSignature signature, String warmupStatus, String warmupReason) {
    }

    private final InferenceCodec codec = new InferenceCodec();
    private final ModelConfig config;
    private OnnxEngine engine;

    ModelInspector(ModelConfig config) {
        this.config = config;
    }

    /**
     * @throws ApiException 400 {@code invalid_model} naming why the file cannot be served
     */
    public Inspection inspect(Path file) {
        try (LoadedModel model = load(file)) {
            ModelSignature signature = model.signature();
            if (signature.inputs().isEmpty() || signature.outputs().isEmpty()) {
                throw ApiException.badRequest("invalid_model", "The model has no inputs or no outputs");
            }
            WarmUp warmUp;
            try {
                warmUp = model.warmUpWithZeros();
            } catch (EngineUnavailableException e) {
                throw ApiException.unavailable("validation_unavailable", "The model could not be validated right now"
                        + " (" + clean(e, file) + "); retry the upload", e);
            } catch (EngineException e) {
                throw ApiException.badRequest("invalid_model", "The model loads but cannot run: " + clean(e, file));
            }
            return new Inspection(signature, warmUp.status().name(),
                    warmUp.skipped() ? clean(warmUp.reason(), file) : null);
        }
    }

    /**
     * Runs an example request on the stored model and answers the response body it gives.
     *
     * @throws ApiException 400 {@code invalid_example} naming what the model or the protocol refused
     */
    public byte[] runExample(Path file, InferenceRequest request, String modelName, int version) {
        try (LoadedModel model = load(file)) {
            InferenceResult result;
            try {
                result = model.run(request.inputs(), new LinkedHashSet<>(request.requestedOutputs()));
            } catch (EngineUnavailableException e) {
                throw ApiException.unavailable("validation_unavailable", "The example could not be run right now"
                        + " (" + clean(e, file) + "); retry", e);
            } catch (EngineException e) {
                throw ApiException.badRequest("invalid_example", "The example request does not run on model "
                        + modelName + " version " + version + ": " + clean(e, file));
            }
            return codec.encode(new InferenceResponse(modelName, Integer.toString(version), request.id(),
                    result.outputs()));
        }
    }

    private LoadedModel load(Path file) {
        try {
            return engine().load(file, config.maxUnpackedBytes());
        } catch (EngineException e) {
            LOG.debugf(e, "rejected model file %s", file);
            throw ApiException.badRequest("invalid_model", "Not a loadable ONNX model: " + clean(e, file));
        }
    }

    /** The engine's message without the server-side path of the file. */
    private static String clean(RuntimeException e, Path file) {
        return clean(e.getMessage(), file);
    }

    private static String clean(String message, Path file) {
        String text = message == null ? "unknown reason" : message;
        Path unpacked = ModelArchive.unpackedDir(file.toAbsolutePath());
        return text.replace(unpacked.toString(), "the upload").replace(file.toAbsolutePath().toString(), "the upload")
                .replace(file.toString(), "the upload");
    }

    private synchronized OnnxEngine engine() {
        if (engine == null) {
            // CPU only: validation must not compete with inference for a GPU, and every model must run on CPU anyway
            engine = new OnnxEngine(EngineOptions.cpu().withMaxRunTime(config.validationRunTime()));
        }
        return engine;
    }

    @PreDestroy
    synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
