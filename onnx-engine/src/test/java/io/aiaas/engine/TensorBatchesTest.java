package io.aiaas.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Stacking requests along the first dimension and splitting the outputs back gives every part its own values. */
class TensorBatchesTest {

    @Test
    void concatThenSplitGivesBackEachPartExactly() {
        Tensor a = Tensor.ofFp32("x", new long[] {1, 2}, new float[] {1f, -0f});
        Tensor b = Tensor.ofFp32("x", new long[] {3, 2}, new float[] {2, 3, 4, 5, Float.NaN, 7});
        Tensor stacked = TensorBatches.concat("x", List.of(a, b));
        assertArrayEquals(new long[] {4, 2}, stacked.shape());
        assertArrayEquals(new float[] {1f, -0f, 2, 3, 4, 5, Float.NaN, 7}, stacked.floats());

        List<Tensor> parts = TensorBatches.split(stacked, new long[] {1, 3});
        assertArrayEquals(a.shape(), parts.get(0).shape());
        assertArrayEquals(b.shape(), parts.get(1).shape());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(parts.get(0).floats()[1]));
        assertArrayEquals(b.floats(), parts.get(1).floats());
    }

    @Test
    void bytesTensorsStackToo() {
        Tensor a = Tensor.ofBytes("s", new long[] {1}, new byte[][] {"a".getBytes(StandardCharsets.UTF_8)});
        Tensor b = Tensor.ofBytes("s", new long[] {2}, new byte[][] {"bc".getBytes(StandardCharsets.UTF_8),
                new byte[0]});
        List<Tensor> parts = TensorBatches.split(TensorBatches.concat("s", List.of(a, b)), new long[] {1, 2});
        assertArrayEquals(new String[] {"a"}, parts.get(0).strings());
        assertArrayEquals(new String[] {"bc", ""}, parts.get(1).strings());
    }

    @Test
    void partsThatDoNotStackAndSplitsThatDoNotAddUpAreRefused() {
        Tensor a = Tensor.ofFp32("x", new long[] {1, 2}, new float[2]);
        Tensor wide = Tensor.ofFp32("x", new long[] {1, 3}, new float[3]);
        Tensor ints = Tensor.ofInt32("x", new long[] {1, 2}, new int[2]);
        assertThrows(IllegalArgumentException.class, () -> TensorBatches.concat("x", List.of(a, wide)));
        assertThrows(IllegalArgumentException.class, () -> TensorBatches.concat("x", List.of(a, ints)));
        assertThrows(IllegalArgumentException.class, () -> TensorBatches.split(a, new long[] {1, 1}));
    }
}
