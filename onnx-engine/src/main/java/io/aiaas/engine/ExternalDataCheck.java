package io.aiaas.engine;

import io.aiaas.onnx.proto.AttributeProto;
import io.aiaas.onnx.proto.GraphProto;
import io.aiaas.onnx.proto.ModelProto;
import io.aiaas.onnx.proto.NodeProto;
import io.aiaas.onnx.proto.SparseTensorProto;
import io.aiaas.onnx.proto.StringStringEntryProto;
import io.aiaas.onnx.proto.TensorProto;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses models whose tensors live in external files: an uploaded model must be self-contained, and an external
 * path would let a model make ONNX Runtime read files from the server's disk.
 */
final class ExternalDataCheck {

    private ExternalDataCheck() {
    }

    /**
     * @throws ModelLoadException when a tensor references external data
     * @throws IOException        when the file cannot be read
     */
    static void requireSelfContained(Path onnxFile) throws IOException {
        ModelProto model;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(onnxFile))) {
            model = ModelProto.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            // Not our call to explain: ONNX Runtime reports why the bytes are not a model.
            return;
        }
        if (model.hasGraph()) {
            external(model.getGraph()).ifPresent(tensor -> {
                throw new ModelLoadException("model references external data file '" + location(tensor)
                        + "' (tensor '" + tensor.getName() + "'); upload a self-contained model");
            });
        }
    }

    private static Optional<TensorProto> external(GraphProto graph) {
        for (TensorProto tensor : graph.getInitializerList()) {
            if (isExternal(tensor)) {
                return Optional.of(tensor);
            }
        }
        for (SparseTensorProto sparse : graph.getSparseInitializerList()) {
            Optional<TensorProto> found = external(sparse);
            if (found.isPresent()) {
                return found;
            }
        }
        for (NodeProto node : graph.getNodeList()) {
            for (AttributeProto attribute : node.getAttributeList()) {
                Optional<TensorProto> found = external(attribute);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<TensorProto> external(AttributeProto attribute) {
        if (attribute.hasT() && isExternal(attribute.getT())) {
            return Optional.of(attribute.getT());
        }
        for (TensorProto tensor : attribute.getTensorsList()) {
            if (isExternal(tensor)) {
                return Optional.of(tensor);
            }
        }
        if (attribute.hasSparseTensor()) {
            Optional<TensorProto> found = external(attribute.getSparseTensor());
            if (found.isPresent()) {
                return found;
            }
        }
        if (attribute.hasG()) {
            Optional<TensorProto> found = external(attribute.getG());
            if (found.isPresent()) {
                return found;
            }
        }
        for (GraphProto graph : attribute.getGraphsList()) {
            Optional<TensorProto> found = external(graph);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<TensorProto> external(SparseTensorProto sparse) {
        if (sparse.hasValues() && isExternal(sparse.getValues())) {
            return Optional.of(sparse.getValues());
        }
        if (sparse.hasIndices() && isExternal(sparse.getIndices())) {
            return Optional.of(sparse.getIndices());
        }
        return Optional.empty();
    }

    private static boolean isExternal(TensorProto tensor) {
        return tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL || tensor.getExternalDataCount() > 0;
    }

    private static String location(TensorProto tensor) {
        return tensor.getExternalDataList().stream()
                .filter(entry -> entry.getKey().equals("location"))
                .map(StringStringEntryProto::getValue)
                .findFirst()
                .orElse("?");
    }
}
