package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.onnx.proto.GraphProto;
import io.aiaas.onnx.proto.ModelProto;
import io.aiaas.onnx.proto.NodeProto;
import io.aiaas.onnx.proto.SparseTensorProto;
import io.aiaas.onnx.proto.StringStringEntryProto;
import io.aiaas.onnx.proto.TensorProto;
import io.aiaas.onnx.proto.TensorProto.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming scan finds external data wherever ONNX allows a tensor, and which inputs declare no shape. */
class ExternalDataCheckTest {

    @TempDir
    Path dir;

    private static TensorProto external(String name, String location) {
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.getNumber()).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .build();
    }

    private ExternalDataCheck.Findings scan(byte[] onnx) throws IOException {
        return ExternalDataCheck.scan(Files.write(dir.resolve("m" + System.nanoTime() + ".onnx"), onnx));
    }

    private void assertRefused(byte[] onnx, String tensor, String location) throws IOException {
        Path file = Files.write(dir.resolve("refused" + System.nanoTime() + ".onnx"), onnx);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ExternalDataCheck.requireSelfContained(file));
        assertEquals("model references external data file '" + location + "' (tensor '" + tensor
                + "'); upload a self-contained model, or a zip archive of the model and its data files", e.getMessage());
    }

    /** A model whose graph has one Identity on x and the given extra node and sparse initializers. */
    private static byte[] model(List<NodeProto> extraNodes, List<SparseTensorProto> sparse) {
        ModelProto base = OnnxModelBuilder.create("g").input("x", DataType.FLOAT, 2).output("y", DataType.FLOAT, 2)
                .node("Identity", "y", "x").build();
        GraphProto.Builder graph = base.getGraph().toBuilder().addAllNode(extraNodes).addAllSparseInitializer(sparse);
        return base.toBuilder().setGraph(graph).build().toByteArray();
    }

    private static NodeProto constant(io.aiaas.onnx.proto.AttributeProto attribute) {
        return NodeProto.newBuilder().setOpType("Constant").setName("c").addOutput("c_out").addAttribute(attribute).build();
    }

    private static io.aiaas.onnx.proto.AttributeProto.Builder attribute(String name) {
        return io.aiaas.onnx.proto.AttributeProto.newBuilder().setName(name);
    }

    /** An If node whose then-branch holds {@code inner}, nested {@code levels} times. */
    private static NodeProto nestedIf(NodeProto inner, int levels) {
        NodeProto node = inner;
        for (int i = 0; i < levels; i++) {
            GraphProto branch = GraphProto.newBuilder().setName("branch" + i).addNode(node).build();
            node = NodeProto.newBuilder().setOpType("If").setName("if" + i).addInput("cond").addOutput("o" + i)
                    .addAttribute(OnnxModelBuilder.graphAttribute("then_branch", branch))
                    .addAttribute(OnnxModelBuilder.graphAttribute("else_branch", GraphProto.getDefaultInstance()))
                    .build();
        }
        return node;
    }

    /** Appends a length-delimited field to serialized message bytes (for fields our proto subset lacks). */
    private static byte[] withField(byte[] message, int field, byte[] value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(message);
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeByteArray(field, value);
        coded.flush();
        return out.toByteArray();
    }

    @Test
    void externalInitializerIsRefusedNamingTensorAndFile() throws IOException {
        assertRefused(TestModels.withExternalData(), "W", "weights.bin");
    }

    @Test
    void externalSparseInitializerValuesOrIndicesAreRefused() throws IOException {
        assertRefused(model(List.of(), List.of(SparseTensorProto.newBuilder().setValues(external("sv", "v.bin"))
                .setIndices(OnnxModelBuilder.int64Tensor("si", new long[] {0}, 1)).addDims(4).build())), "sv", "v.bin");
        assertRefused(model(List.of(), List.of(SparseTensorProto.newBuilder()
                .setValues(OnnxModelBuilder.floatTensor("sv", new float[] {1}, 1))
                .setIndices(external("si", "/etc/passwd")).addDims(4).build())), "si", "/etc/passwd");
    }

    @Test
    void externalTensorsInNodeAttributesAreRefused() throws IOException {
        assertRefused(model(List.of(constant(OnnxModelBuilder.tensorAttribute("value", external("t", "t.bin")))),
                List.of()), "t", "t.bin");
        assertRefused(model(List.of(constant(attribute("values").addTensors(OnnxModelBuilder.floatTensor("ok",
                new float[] {1}, 1)).addTensors(external("second", "list.bin")).build())), List.of()), "second", "list.bin");
        assertRefused(model(List.of(constant(attribute("sparse_value").setSparseTensor(SparseTensorProto.newBuilder()
                .setValues(external("sparse_attr", "s.bin"))).build())), List.of()), "sparse_attr", "s.bin");
    }

    @Test
    void externalTensorsInSubgraphsAtAnyDepthAreRefused() throws IOException {
        NodeProto deep = constant(OnnxModelBuilder.tensorAttribute("value", external("deep", "deep.bin")));
        assertRefused(model(List.of(nestedIf(deep, 1)), List.of()), "deep", "deep.bin");
        assertRefused(model(List.of(nestedIf(deep, 20)), List.of()), "deep", "deep.bin");
        // a Loop/Scan body sits in a "graphs"-free "g" attribute like If's; the repeated form is walked as well
        NodeProto scan = NodeProto.newBuilder().setOpType("Scan").setName("scan").addAttribute(attribute("bodies")
                .addGraphs(GraphProto.newBuilder().addInitializer(external("in_graphs", "g.bin")))).build();
        assertRefused(model(List.of(scan), List.of()), "in_graphs", "g.bin");
        NodeProto loop = NodeProto.newBuilder().setOpType("Loop").setName("loop").addAttribute(
                OnnxModelBuilder.graphAttribute("body", GraphProto.newBuilder()
                        .addSparseInitializer(SparseTensorProto.newBuilder().setValues(external("body_sparse", "b.bin")))
                        .build())).build();
        assertRefused(model(List.of(loop), List.of()), "body_sparse", "b.bin");
    }

    @Test
    void externalTensorsInModelLocalFunctionsAndTrainingGraphsAreRefused() throws IOException {
        byte[] base = model(List.of(), List.of());
        byte[] functionNode = constant(OnnxModelBuilder.tensorAttribute("value", external("fn", "fn.bin"))).toByteArray();
        byte[] function = withField(new byte[0], 7, functionNode);               // FunctionProto.node
        assertRefused(withField(base, 25, function), "fn", "fn.bin");            // ModelProto.functions
        byte[] defaultAttribute = OnnxModelBuilder.tensorAttribute("w", external("fn_default", "d.bin")).toByteArray();
        assertRefused(withField(base, 25, withField(new byte[0], 11, defaultAttribute)), "fn_default", "d.bin");
        byte[] algorithm = GraphProto.newBuilder().addInitializer(external("trained", "tr.bin")).build().toByteArray();
        byte[] training = withField(new byte[0], 2, algorithm);                  // TrainingInfoProto.algorithm
        assertRefused(withField(base, 20, training), "trained", "tr.bin");       // ModelProto.training_info
    }

    @Test
    void dataLocationAloneIsEnoughAndAnUnnamedLocationIsReportedAsUnknown() throws IOException {
        TensorProto bare = TensorProto.newBuilder().setName("bare").setDataType(DataType.FLOAT.getNumber())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL).build();
        assertRefused(OnnxModelBuilder.create("g").input("x", DataType.FLOAT, 1).output("y", DataType.FLOAT, 1)
                .initializer(bare).node("Identity", "y", "x").toBytes(), "bare", "?");
    }

    @Test
    void selfContainedModelsPassAndReportTheirShapelessInputs() throws IOException {
        for (byte[] onnx : List.of(TestModels.linear().onnx(), TestModels.scalarAdd(), TestModels.multiInputOutput(),
                RealModels.branchOnMode().onnx(), RealModels.decodeLoop().onnx())) {
            ExternalDataCheck.Findings findings = scan(onnx);
            assertTrue(findings.selfContained());
            assertNull(findings.externalLocation());
            // a scalar declares an empty shape, which is a shape: only a missing one means "any rank"
            assertEquals(Set.of(), findings.inputsWithoutShape());
        }
        ExternalDataCheck.Findings anyRank = scan(RealModels.anyRank());
        assertEquals(Set.of("x"), anyRank.inputsWithoutShape());
        assertEquals(Set.of("y"), anyRank.outputsWithoutShape());
    }

    @Test
    void shapelessValuesInsideSubgraphsAreNotTheModelsInputs() throws IOException {
        // the Loop body's inputs are declared with shapes, but a subgraph input without one must not count
        NodeProto loop = NodeProto.newBuilder().setOpType("Loop").setName("l").addAttribute(OnnxModelBuilder
                .graphAttribute("body", OnnxModelBuilder.subgraph("b").inputAnyRank("x", DataType.FLOAT).graph())).build();
        assertEquals(Set.of(), scan(model(List.of(loop), List.of())).inputsWithoutShape());
    }

    @Test
    void bytesThatAreNotAModelAreLeftToOnnxRuntime() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        assertSame(ExternalDataCheck.Findings.NOT_A_MODEL, scan(garbage));
        assertSame(ExternalDataCheck.Findings.NOT_A_MODEL, scan(new byte[] {(byte) 0x3a, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0x0f}));
        assertTrue(scan("this is not a model".getBytes()).selfContained());
    }

    @Test
    void nestingDeeperThanProtobufAllowsIsRefused() throws IOException {
        // 40 nested Ifs are 120 message levels: more than protobuf (and so ONNX Runtime) parses
        Path file = Files.write(dir.resolve("deep.onnx"), model(List.of(nestedIf(
                NodeProto.newBuilder().setOpType("Identity").build(), 40)), List.of()));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ExternalDataCheck.scan(file));
        assertEquals("model nests its graph deeper than 100 levels", e.getMessage());
    }

    @Test
    void longNamesAreTruncatedNotBuffered() throws IOException {
        String longName = "n".repeat(10_000);
        byte[] onnx = OnnxModelBuilder.create("g").input("x", DataType.FLOAT, 1).output("y", DataType.FLOAT, 1)
                .initializer(external(longName, "w.bin")).node("Identity", "y", "x").toBytes();
        ExternalDataCheck.Findings findings = scan(onnx);
        assertEquals("n".repeat(4096) + "...", findings.externalTensor());
        assertEquals("w.bin", findings.externalLocation());
    }
}
