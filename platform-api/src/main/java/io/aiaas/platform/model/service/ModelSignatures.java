package io.aiaas.platform.model.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.ModelSignature;
import io.aiaas.engine.TensorSpec;
import java.util.List;

/** Converts model signatures between the engine's types, the stored JSON and the API view. */
public final class ModelSignatures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelSignatures() {
    }

    public static SignatureView view(ModelSignature signature) {
        return new SignatureView(views(signature.inputs()), views(signature.outputs()), signature.omittedOutputs()
                .stream().map(o -> new SignatureView.OmittedOutputView(o.name(), o.kind())).toList());
    }

    public static String toJson(ModelSignature signature) {
        try {
            return JSON.writeValueAsString(view(signature));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a signature as JSON", e);
        }
    }

    /** The stored JSON as a view; null stays null. */
    public static SignatureView viewOfJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, SignatureView.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model_versions.signature is not a signature: " + e.getMessage(), e);
        }
    }

    private static List<TensorView> views(List<TensorSpec> specs) {
        return specs.stream().map(s -> new TensorView(s.name(), s.datatype().protocolName(), s.shape())).toList();
    }
}
