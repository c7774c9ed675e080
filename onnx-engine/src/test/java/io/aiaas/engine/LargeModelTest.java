package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.proto.ModelProto;
import io.aiaas.onnx.proto.TensorProto;
import io.aiaas.onnx.proto.TensorProto.DataType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model with 256 MB of weights, written to target/ at test time (streamed, never whole in memory): the external
 * data scan and the load read it without bringing the weights into the Java heap.
 */
class LargeModelTest {

    static final int ROWS = 8192;
    static final int COLUMNS = 8192;
    static final long WEIGHT_BYTES = (long) ROWS * COLUMNS * Float.BYTES;
    static final Path FILE = Path.of("target", "large-model", "embedding-256mb.onnx");

    /** Row r, column c of the table: small integers, exact in float. */
    static float weight(int r, int c) {
        return (r * 31 + c * 7) % 1000;
    }

    @BeforeAll
    static void writeModel() throws IOException {
        Files.createDirectories(FILE.getParent());
        // An embedding table: the graph, and an initializer whose raw_data is streamed in row by row.
        ModelProto withoutTable = OnnxModelBuilder.create("large_embedding")
                .input("ids", DataType.INT64, -1)
                .output("rows", DataType.FLOAT, -1, COLUMNS)
                .node("Gather", "rows", "table", "ids")
                .build();
        byte[] graphRest = withoutTable.getGraph().toByteArray();
        byte[] modelRest = withoutTable.toBuilder().clearGraph().build().toByteArray();
        byte[] tensorHead = TensorProto.newBuilder().setName("table").setDataType(DataType.FLOAT.getNumber())
                .addDims(ROWS).addDims(COLUMNS).build().toByteArray();
        int rawField = CodedOutputStream.computeTagSize(9) + CodedOutputStream.computeUInt32SizeNoTag((int) WEIGHT_BYTES);
        long tensorLength = tensorHead.length + rawField + WEIGHT_BYTES;
        long graphLength = graphRest.length + CodedOutputStream.computeTagSize(5)
                + CodedOutputStream.computeUInt32SizeNoTag((int) tensorLength) + tensorLength;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(FILE), 1 << 20)) {
            CodedOutputStream out = CodedOutputStream.newInstance(file, 1 << 16);
            out.writeRawBytes(modelRest);
            out.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED);   // ModelProto.graph
            out.writeUInt32NoTag((int) graphLength);
            out.writeRawBytes(graphRest);
            out.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);   // GraphProto.initializer
            out.writeUInt32NoTag((int) tensorLength);
            out.writeRawBytes(tensorHead);
            out.writeTag(9, WireFormat.WIRETYPE_LENGTH_DELIMITED);   // TensorProto.raw_data
            out.writeUInt32NoTag((int) WEIGHT_BYTES);
            ByteBuffer row = ByteBuffer.allocate(COLUMNS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < ROWS; r++) {
                row.clear();
                for (int c = 0; c < COLUMNS; c++) {
                    row.putFloat(weight(r, c));
                }
                out.writeRawBytes(row.array());
            }
            out.flush();
        }
    }

    @AfterAll
    static void deleteModel() throws IOException {
        Files.deleteIfExists(FILE);
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void externalDataScanOfA256MbModelAllocatesNextToNothing() throws IOException {
        assertTrue(Files.size(FILE) > WEIGHT_BYTES, "the file holds the weights");
        ExternalDataCheck.requireSelfContained(FILE); // class loading and JIT out of the measurement
        long before = allocatedByThisThread();
        ExternalDataCheck.Findings findings = ExternalDataCheck.requireSelfContained(FILE);
        long allocated = allocatedByThisThread() - before;
        assertTrue(findings.selfContained());
        System.out.printf("external-data scan of a %d-byte model allocated %d bytes%n", Files.size(FILE), allocated);
        // two 64 KiB buffers and a few strings; the file is 256 MiB
        assertTrue(allocated < 2 * 1024 * 1024, "the scan allocated " + allocated + " bytes");
    }

    @Test
    void theEngineLoadsItFromTheFileAndAnswersFromItsWeights() {
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu())) {
            long before = allocatedByThisThread();
            LoadedModel model = engine.load(FILE);
            long allocated = allocatedByThisThread() - before;
            System.out.printf("engine.load of a %d-byte model allocated %d bytes on the Java heap%n",
                    WEIGHT_BYTES, allocated);
            // ONNX Runtime reads the file natively; the Java heap sees the scan and the signature only
            assertTrue(allocated < 8 * 1024 * 1024, "loading allocated " + allocated + " bytes on the Java heap");
            assertEquals(List.of(new TensorSpec("ids", TensorType.INT64, new long[] {-1})), model.signature().inputs());

            long[] ids = {0, 1, ROWS - 1, 4242};
            Tensor rows = model.run(List.of(Tensor.ofInt64("ids", new long[] {ids.length}, ids)), Set.of())
                    .outputs().get(0);
            assertArrayEquals(new long[] {ids.length, COLUMNS}, rows.shape());
            float[] expected = new float[ids.length * COLUMNS];
            for (int i = 0; i < ids.length; i++) {
                for (int c = 0; c < COLUMNS; c++) {
                    expected[i * COLUMNS + c] = weight((int) ids[i], c);
                }
            }
            assertArrayEquals(expected, rows.floats());
        }
    }
}
