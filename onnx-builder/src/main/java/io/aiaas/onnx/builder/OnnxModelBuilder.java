package io.aiaas.onnx.builder;

import com.google.protobuf.ByteString;
import io.aiaas.onnx.proto.AttributeProto;
import io.aiaas.onnx.proto.GraphProto;
import io.aiaas.onnx.proto.ModelProto;
import io.aiaas.onnx.proto.NodeProto;
import io.aiaas.onnx.proto.OperatorSetIdProto;
import io.aiaas.onnx.proto.TensorProto;
import io.aiaas.onnx.proto.TensorShapeProto;
import io.aiaas.onnx.proto.TypeProto;
import io.aiaas.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fluent writer of small ONNX models (one graph, default domain at opset 17, IR version 8; other domains such as
 * {@code ai.onnx.ml} on request).
 */
public final class OnnxModelBuilder {

    /** Marks a dynamic dimension in the shapes given to {@link #input} and {@link #output}. */
    public static final long DYNAMIC = -1;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private long irVersion = 8;
    private long opset = 17;
    private String producer = "aiaas-onnx-builder";
    private final List<OperatorSetIdProto> otherOpsets = new ArrayList<>();
    private int nodeCounter;
    private final String nodePrefix;

    private OnnxModelBuilder(String graphName, String nodePrefix) {
        graph.setName(graphName);
        this.nodePrefix = nodePrefix;
    }

    /** Starts a model whose graph carries the given name. */
    public static OnnxModelBuilder create(String graphName) {
        return new OnnxModelBuilder(graphName, "");
    }

    /**
     * Starts a subgraph (an If branch, a Loop or Scan body) for {@link #graphAttribute}; its node names start with
     * {@code name/} so that they differ from the outer graph's. Finish it with {@link #graph()}.
     */
    public static OnnxModelBuilder subgraph(String name) {
        return new OnnxModelBuilder(name, name + "/");
    }

    public OnnxModelBuilder irVersion(long version) {
        this.irVersion = version;
        return this;
    }

    public OnnxModelBuilder opset(long version) {
        this.opset = version;
        return this;
    }

    /** Imports another operator domain, e.g. {@code ai.onnx.ml} for the classic ML operators. */
    public OnnxModelBuilder opset(String domain, long version) {
        otherOpsets.add(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build());
        return this;
    }

    public OnnxModelBuilder producer(String name) {
        this.producer = name;
        return this;
    }

    /** Declares a graph input; -1 in the shape is a dynamic dimension, an empty shape a scalar. */
    public OnnxModelBuilder input(String name, TensorProto.DataType type, long... shape) {
        graph.addInput(valueInfo(name, type, shape));
        return this;
    }

    /** Declares a graph output; -1 in the shape is a dynamic dimension, an empty shape a scalar. */
    public OnnxModelBuilder output(String name, TensorProto.DataType type, long... shape) {
        graph.addOutput(valueInfo(name, type, shape));
        return this;
    }

    /**
     * Declares a graph output that is a sequence of maps, as the {@code ZipMap} operator makes (scikit-learn
     * classifiers exported with their default options answer their probabilities so).
     */
    public OnnxModelBuilder outputSequenceOfMaps(String name, TensorProto.DataType key, TensorProto.DataType value) {
        TypeProto valueType = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(value.getNumber())).build();
        TypeProto map = TypeProto.newBuilder()
                .setMapType(TypeProto.Map.newBuilder().setKeyType(key.getNumber()).setValueType(valueType)).build();
        graph.addOutput(ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(map))));
        return this;
    }

    /** Declares a graph input that is a sequence of tensors of one element type (not a tensor itself). */
    public OnnxModelBuilder inputSequence(String name, TensorProto.DataType elementType) {
        TypeProto element = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elementType.getNumber())).build();
        graph.addInput(ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(element))));
        return this;
    }

    /** Declares a graph input whose tensor type has no shape at all: its rank is unknown. */
    public OnnxModelBuilder inputAnyRank(String name, TensorProto.DataType type) {
        graph.addInput(valueInfoWithoutShape(name, type));
        return this;
    }

    /** Declares a graph output whose tensor type has no shape at all: its rank is unknown. */
    public OnnxModelBuilder outputAnyRank(String name, TensorProto.DataType type) {
        graph.addOutput(valueInfoWithoutShape(name, type));
        return this;
    }

    /** Adds a ready-made initializer (for example one with external data). */
    public OnnxModelBuilder initializer(TensorProto tensor) {
        graph.addInitializer(tensor);
        return this;
    }

    public OnnxModelBuilder initializer(String name, float[] data, long... dims) {
        return initializer(floatTensor(name, data, dims));
    }

    public OnnxModelBuilder initializer(String name, long[] data, long... dims) {
        return initializer(int64Tensor(name, data, dims));
    }

    /** Adds a node; its name is generated from the op type. */
    public OnnxModelBuilder node(String opType, List<String> inputs, List<String> outputs,
                                 AttributeProto... attributes) {
        return node("", opType, inputs, outputs, attributes);
    }

    /** Adds a node of another operator domain (imported with {@link #opset(String, long)}). */
    public OnnxModelBuilder node(String domain, String opType, List<String> inputs, List<String> outputs,
                                 AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder()
                .setDomain(domain)
                .setOpType(opType)
                .setName(nodePrefix + opType.toLowerCase() + "_" + nodeCounter++)
                .addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto attribute : attributes) {
            node.addAttribute(attribute);
        }
        graph.addNode(node);
        return this;
    }

    /** Shorthand for a node with one output. */
    public OnnxModelBuilder node(String opType, String output, String... inputs) {
        return node(opType, List.of(inputs), List.of(output));
    }

    /** The graph alone, for a subgraph attribute. */
    public GraphProto graph() {
        return graph.build();
    }

    public ModelProto build() {
        return ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .setProducerName(producer)
                .setProducerVersion("1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .addAllOpsetImport(otherOpsets)
                .setGraph(graph.clone())
                .build();
    }

    public byte[] toBytes() {
        return build().toByteArray();
    }

    /** Writes the serialized model, creating parent directories. */
    public Path write(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            return Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + file, e);
        }
    }

    public static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    public static AttributeProto stringsAttribute(String name, String... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        for (String value : values) {
            attribute.addStrings(ByteString.copyFromUtf8(value));
        }
        return attribute.build();
    }

    /** A graph attribute: {@code then_branch}/{@code else_branch} of If, {@code body} of Loop and Scan. */
    public static AttributeProto graphAttribute(String name, GraphProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(value).build();
    }

    public static AttributeProto stringAttribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto tensorAttribute(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    /** An FP32 tensor stored as little-endian raw bytes, as the ONNX spec requires for raw_data. */
    public static TensorProto floatTensor(String name, float[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer raw = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : data) {
            raw.putFloat(value);
        }
        return tensor(name, TensorProto.DataType.FLOAT, dims).setRawData(ByteString.copyFrom(raw.array())).build();
    }

    public static TensorProto int64Tensor(String name, long[] data, long... dims) {
        checkCount(name, data.length, dims);
        TensorProto.Builder tensor = tensor(name, TensorProto.DataType.INT64, dims);
        for (long value : data) {
            tensor.addInt64Data(value);
        }
        return tensor.build();
    }

    /** Flattens a matrix row by row. */
    public static float[] flatten(float[][] matrix) {
        int columns = matrix.length == 0 ? 0 : matrix[0].length;
        float[] flat = new float[matrix.length * columns];
        for (int r = 0; r < matrix.length; r++) {
            System.arraycopy(matrix[r], 0, flat, r * columns, columns);
        }
        return flat;
    }

    private static TensorProto.Builder tensor(String name, TensorProto.DataType type, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor;
    }

    private static void checkCount(String name, int length, long... dims) {
        long expected = 1;
        for (long dim : dims) {
            expected *= dim;
        }
        if (expected != length) {
            throw new IllegalArgumentException("tensor " + name + " has " + length + " values, shape needs " + expected);
        }
    }

    private static ValueInfoProto valueInfoWithoutShape(String name, TensorProto.DataType type) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber())))
                .build();
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, long... shape) {
        TensorShapeProto.Builder tensorShape = TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (shape[i] < 0) {
                // Distinct symbolic names per tensor so that ONNX Runtime infers no equality between inputs.
                dim.setDimParam(name + "_d" + i);
            } else {
                dim.setDimValue(shape[i]);
            }
            tensorShape.addDim(dim);
        }
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder()
                .setElemType(type.getNumber())
                .setShape(tensorShape)
                .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensorType))
                .build();
    }
}
