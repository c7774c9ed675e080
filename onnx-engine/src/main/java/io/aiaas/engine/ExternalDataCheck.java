package io.aiaas.engine;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the engine must know of an ONNX file before ONNX Runtime opens it, in one streaming pass over the
 * protobuf wire format: whether any tensor lives in an external file (refused: an uploaded model must be
 * self-contained, and an external path would let a model make ONNX Runtime read files from the server's disk), and
 * which graph inputs and outputs declare no shape at all (unknown rank, which ONNX Runtime's Java API reports as an
 * empty shape, the same as a scalar).
 * <p>
 * Weights are never held: tensor payloads ({@code raw_data}, {@code float_data}, ...) are skipped on the stream, so
 * memory stays at a few buffers whatever the file size. Field numbers are the public {@code onnx.proto}'s.
 */
final class ExternalDataCheck {

    /** Protobuf's own default nesting limit, which ONNX Runtime's parser keeps: nothing deeper loads anyway. */
    static final int MAX_DEPTH = 100;
    /** Names and locations longer than this are only reported truncated; they are never needed whole. */
    private static final int MAX_TEXT_BYTES = 4096;

    // ModelProto
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_TRAINING_INFO = 20;
    private static final int MODEL_FUNCTIONS = 25;
    // TrainingInfoProto
    private static final int TRAINING_INITIALIZATION = 1;
    private static final int TRAINING_ALGORITHM = 2;
    // FunctionProto
    private static final int FUNCTION_NODE = 7;
    private static final int FUNCTION_ATTRIBUTE_PROTO = 11;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    // NodeProto
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_G = 6;
    private static final int ATTRIBUTE_TENSORS = 10;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
    private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
    // SparseTensorProto
    private static final int SPARSE_VALUES = 1;
    private static final int SPARSE_INDICES = 2;
    // TensorProto
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int DATA_LOCATION_EXTERNAL = 1;
    // StringStringEntryProto
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    // ValueInfoProto, TypeProto, TypeProto.Tensor
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;

    /**
     * What one pass found.
     *
     * @param externalTensor      the first tensor found with external data, null when the model is self-contained
     * @param externalLocation    its {@code location} entry ("?" when absent)
     * @param inputsWithoutShape  main-graph inputs whose tensor type has no shape (rank unknown)
     * @param outputsWithoutShape main-graph outputs whose tensor type has no shape
     */
    record Findings(String externalTensor, String externalLocation, Set<String> inputsWithoutShape,
                    Set<String> outputsWithoutShape, List<ExternalRef> externalRefs) {

        Findings {
            inputsWithoutShape = Set.copyOf(inputsWithoutShape);
            outputsWithoutShape = Set.copyOf(outputsWithoutShape);
            externalRefs = List.copyOf(externalRefs);
        }

        /** For bytes that are not an ONNX model at all: ONNX Runtime explains why when it refuses them. */
        static final Findings NOT_A_MODEL = new Findings(null, null, Set.of(), Set.of(), List.of());

        boolean selfContained() {
            return externalTensor == null;
        }
    }

    /**
     * One tensor whose data lies in a file: the {@code external_data} entries {@code location}, {@code offset} and
     * {@code length} as written (null when absent).
     */
    record ExternalRef(String tensor, String location, String offset, String length) {
    }

    /** Most external tensors one model may name (an archive holds at most ModelArchive.MAX_ENTRIES files). */
    static final int MAX_EXTERNAL_REFS = 1_000_000;
    /** ONNX Runtime reads a tensor whose location is this tag from a raw memory address: never from a model. */
    static final String ORT_MEMORY_ADDRESS_TAG = "_ORT_MEM_ADDR_";

    private final CodedInputStream in;
    private final List<ExternalRef> externalRefs = new ArrayList<>();
    private int depth;
    private String externalTensor;
    private String externalLocation;
    private final Set<String> inputsWithoutShape = new LinkedHashSet<>();
    private final Set<String> outputsWithoutShape = new LinkedHashSet<>();

    private ExternalDataCheck(InputStream stream) {
        this.in = CodedInputStream.newInstance(stream, 64 * 1024);
        // Files over 2 GB cannot be self-contained ONNX models (protobuf's limit); reading stops there.
        this.in.setSizeLimit(Integer.MAX_VALUE);
    }

    /**
     * Refuses a model that references external data.
     *
     * @return the rest of what the pass found
     * @throws ModelLoadException when a tensor references external data, or messages nest deeper than
     *                            {@link #MAX_DEPTH}
     * @throws IOException        when the file cannot be read
     */
    static Findings requireSelfContained(Path onnxFile) throws IOException {
        Findings findings = scan(onnxFile);
        if (!findings.selfContained()) {
            throw new ModelLoadException("model references external data file '" + findings.externalLocation()
                    + "' (tensor '" + findings.externalTensor() + "'); upload a self-contained model, or a zip"
                    + " archive of the model and its data files");
        }
        return findings;
    }

    /**
     * Allows external data only in regular files of the model's own folder or below it, inside {@code root} (an
     * unpacked archive, {@link ModelArchive}); ONNX Runtime allows no more: each location must be a plain relative
     * path that stays there, name a file that exists, and offset and length must lie within that file.
     *
     * @throws ModelLoadException naming the first tensor whose data is not where it may be
     * @throws IOException        when a file cannot be read
     */
    static Findings requireWithin(Path onnxFile, Path root) throws IOException {
        Findings findings = scan(onnxFile);
        Path dir = onnxFile.toAbsolutePath().getParent().toRealPath();
        if (!dir.startsWith(root.toRealPath())) {
            throw new IllegalArgumentException(onnxFile + " is not inside " + root);
        }
        for (ExternalRef ref : findings.externalRefs()) {
            checkRef(ref, dir);
        }
        return findings;
    }

    private static void checkRef(ExternalRef ref, Path dir) throws IOException {
        String tensor = ref.tensor();
        String location = ref.location();
        if (location == null || location.isEmpty()) {
            throw new ModelLoadException("tensor '" + tensor + "' has external data without a location");
        }
        if (location.contains(ORT_MEMORY_ADDRESS_TAG) || location.indexOf('*') >= 0 || location.indexOf('\\') >= 0
                || location.indexOf('\0') >= 0 || location.startsWith("/") || location.contains(":")) {
            throw new ModelLoadException("tensor '" + tensor + "' names external data '" + location.replace('\0', '?')
                    + "', which is not a plain relative path");
        }
        Path file = dir.resolve(location).normalize();
        if (!file.startsWith(dir)) {
            throw new ModelLoadException("tensor '" + tensor + "' names external data '" + location
                    + "' outside the model's folder in the archive");
        }
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || !file.toRealPath().startsWith(dir)) {
            throw new ModelLoadException("tensor '" + tensor + "' names external data file '" + location
                    + "', which the archive does not hold");
        }
        long offset = number(ref.offset(), 0, tensor, "offset");
        long size = Files.size(file);
        long length = number(ref.length(), size - offset, tensor, "length");
        if (offset > size || length > size - offset) {
            throw new ModelLoadException("tensor '" + tensor + "' reads bytes " + offset + " to " + (offset + length)
                    + " of '" + location + "', which has " + size);
        }
    }

    private static long number(String text, long absent, String tensor, String what) {
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ModelLoadException("tensor '" + tensor + "' has an external data " + what + " that is not a"
                    + " number of bytes: '" + text + "'");
        }
    }

    /**
     * One streaming pass over the file; bytes that are not a protobuf message give {@link Findings#NOT_A_MODEL}.
     *
     * @throws ModelLoadException when messages nest deeper than {@link #MAX_DEPTH}
     * @throws IOException        when the file cannot be read
     */
    static Findings scan(Path onnxFile) throws IOException {
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(onnxFile), 64 * 1024)) {
            ExternalDataCheck walk = new ExternalDataCheck(stream);
            try {
                walk.model();
            } catch (InvalidProtocolBufferException e) {
                // Not our call to explain: ONNX Runtime reports why the bytes are not a model.
                return Findings.NOT_A_MODEL;
            }
            return new Findings(walk.externalTensor, walk.externalLocation, walk.inputsWithoutShape,
                    walk.outputsWithoutShape, walk.externalRefs);
        }
    }

    private void model() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (message(tag)) {
                case MODEL_GRAPH -> nested(() -> graph(true));
                case MODEL_FUNCTIONS -> nested(this::function);
                case MODEL_TRAINING_INFO -> nested(this::trainingInfo);
                default -> in.skipField(tag);
            }
        }
    }

    private void trainingInfo() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (message(tag)) {
                case TRAINING_INITIALIZATION, TRAINING_ALGORITHM -> nested(() -> graph(false));
                default -> in.skipField(tag);
            }
        }
    }

    private void function() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (message(tag)) {
                case FUNCTION_NODE -> nested(this::node);
                case FUNCTION_ATTRIBUTE_PROTO -> nested(this::attribute);
                default -> in.skipField(tag);
            }
        }
    }

    /** @param main whether this is the model's graph, whose inputs and outputs are the session's */
    private void graph(boolean main) throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (message(tag)) {
                case GRAPH_NODE -> nested(this::node);
                case GRAPH_INITIALIZER -> nested(this::tensor);
                case GRAPH_SPARSE_INITIALIZER -> nested(this::sparseTensor);
                case GRAPH_INPUT -> {
                    if (main) {
                        nested(() -> valueInfo(inputsWithoutShape));
                    } else {
                        in.skipField(tag);
                    }
                }
                case GRAPH_OUTPUT -> {
                    if (main) {
                        nested(() -> valueInfo(outputsWithoutShape));
                    } else {
                        in.skipField(tag);
                    }
                }
                default -> in.skipField(tag);
            }
        }
    }

    private void node() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (message(tag) == NODE_ATTRIBUTE) {
                nested(this::attribute);
            } else {
                in.skipField(tag);
            }
        }
    }

    /** Tensors, sparse tensors and subgraphs (the branches of If, the bodies of Loop and Scan) at any depth. */
    private void attribute() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (message(tag)) {
                case ATTRIBUTE_T, ATTRIBUTE_TENSORS -> nested(this::tensor);
                case ATTRIBUTE_SPARSE_TENSOR, ATTRIBUTE_SPARSE_TENSORS -> nested(this::sparseTensor);
                case ATTRIBUTE_G, ATTRIBUTE_GRAPHS -> nested(() -> graph(false));
                default -> in.skipField(tag);
            }
        }
    }

    private void sparseTensor() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (message(tag)) {
                case SPARSE_VALUES, SPARSE_INDICES -> nested(this::tensor);
                default -> in.skipField(tag);
            }
        }
    }

    /** Reads the name and where the data lives; the data itself is skipped on the stream, never buffered. */
    private void tensor() throws IOException {
        String name = "?";
        Map<String, String> entries = new HashMap<>();
        boolean external = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            if (field == TENSOR_NAME && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                name = text();
            } else if (field == TENSOR_DATA_LOCATION && wireType == WireFormat.WIRETYPE_VARINT) {
                external |= in.readEnum() == DATA_LOCATION_EXTERNAL;
            } else if (field == TENSOR_EXTERNAL_DATA && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                external = true;
                nested(() -> entry(entries));
            } else {
                in.skipField(tag);
            }
        }
        if (!external) {
            return;
        }
        String location = entries.get("location");
        if (externalTensor == null) {
            externalTensor = name;
            externalLocation = location != null ? location : "?";
        }
        if (externalRefs.size() >= MAX_EXTERNAL_REFS) {
            throw new ModelLoadException("model names more than " + MAX_EXTERNAL_REFS + " external tensors");
        }
        externalRefs.add(new ExternalRef(name, location, entries.get("offset"), entries.get("length")));
    }

    /** One {@code StringStringEntryProto}; the first value of a key counts. */
    private void entry(Map<String, String> into) throws IOException {
        String key = null;
        String value = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = message(tag);
            if (field == ENTRY_KEY) {
                key = text();
            } else if (field == ENTRY_VALUE) {
                value = text();
            } else {
                in.skipField(tag);
            }
        }
        if (key != null && value != null) {
            into.putIfAbsent(key, value);
        }
    }

    private void valueInfo(Set<String> withoutShape) throws IOException {
        String name = null;
        boolean hasShape = true;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = message(tag);
            if (field == VALUE_INFO_NAME) {
                name = text();
            } else if (field == VALUE_INFO_TYPE) {
                boolean[] shape = {true};
                nested(() -> shape[0] = typeHasShape());
                hasShape = shape[0];
            } else {
                in.skipField(tag);
            }
        }
        if (name != null && !hasShape) {
            withoutShape.add(name);
        }
    }

    /** False only for a tensor type without a shape; other types (sequences, maps) are refused later anyway. */
    private boolean typeHasShape() throws IOException {
        boolean hasShape = true;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (message(tag) == TYPE_TENSOR_TYPE) {
                boolean[] shape = {false};
                nested(() -> {
                    int inner;
                    while ((inner = in.readTag()) != 0) {
                        if (message(inner) == TENSOR_TYPE_SHAPE) {
                            shape[0] = true;
                        }
                        in.skipField(inner);
                    }
                });
                hasShape = shape[0];
            } else {
                in.skipField(tag);
            }
        }
        return hasShape;
    }

    /** The field number of a length-delimited field, or -1 for any other wire type (so that it is skipped). */
    private static int message(int tag) {
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
                ? WireFormat.getTagFieldNumber(tag) : -1;
    }

    private interface Body {
        void read() throws IOException;
    }

    /** Reads one length-delimited embedded message with {@code body}, within its limit. */
    private void nested(Body body) throws IOException {
        if (++depth > MAX_DEPTH) {
            throw new ModelLoadException("model nests its graph deeper than " + MAX_DEPTH + " levels");
        }
        int length = in.readRawVarint32();
        int outer = in.pushLimit(length);
        body.read();
        in.popLimit(outer);
        depth--;
    }

    /** A UTF-8 string field, truncated past {@link #MAX_TEXT_BYTES} without reading the rest into memory. */
    private String text() throws IOException {
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new InvalidProtocolBufferException("negative length");
        }
        if (length <= MAX_TEXT_BYTES) {
            return new String(in.readRawBytes(length), StandardCharsets.UTF_8);
        }
        String head = new String(in.readRawBytes(MAX_TEXT_BYTES), StandardCharsets.UTF_8);
        in.skipRawBytes(length - MAX_TEXT_BYTES);
        return head + "...";
    }
}
