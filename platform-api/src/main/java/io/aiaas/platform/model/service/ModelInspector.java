package io.aiaas.platform.model.service;

import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.ModelSignature;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.platform.common.error.InvalidRequestException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Proves an uploaded file is a servable ONNX model before it is registered: ONNX Runtime loads it on CPU, its
 * signature is derived, and one warm-up run with zero inputs must succeed.
 */
@ApplicationScoped
public class ModelInspector {

    private static final Logger LOG = Logger.getLogger(ModelInspector.class);
    private OnnxEngine engine;

    /**
     * @return the model's signature
     * @throws InvalidRequestException {@code invalid_model} naming why the file cannot be served
     */
    public ModelSignature inspect(Path file) {
        try (LoadedModel model = engine().load(file)) {
            ModelSignature signature = model.signature();
            if (signature.inputs().isEmpty() || signature.outputs().isEmpty()) {
                throw new InvalidRequestException("invalid_model", "The model has no inputs or no outputs");
            }
            try {
                model.warmUp();
            } catch (RuntimeException e) {
                throw new InvalidRequestException("invalid_model", "The model loads but a warm-up run with zero "
                        + "inputs fails: " + clean(e, file));
            }
            return signature;
        } catch (InvalidRequestException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debugf(e, "rejected model upload %s", file);
            throw new InvalidRequestException("invalid_model", "Not a loadable ONNX model: " + clean(e, file));
        }
    }

    /** The engine's message without the server-side path of the upload. */
    private static String clean(RuntimeException e, Path file) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace(file.toAbsolutePath().toString(), "the upload").replace(file.toString(), "the upload");
    }

    private synchronized OnnxEngine engine() {
        if (engine == null) {
            // CPU only: validation must not compete with inference for a GPU, and every model must run on CPU anyway
            engine = new OnnxEngine(EngineOptions.cpu());
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
