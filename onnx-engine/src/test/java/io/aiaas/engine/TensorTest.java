package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void factoryRejectsDataLengthThatDoesNotMatchTheShape() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tensor.ofFp32("x", new long[] {2, 3}, new float[5]));
        assertEquals("tensor 'x' has 5 elements but shape [2, 3] needs 6", e.getMessage());
    }

    @Test
    void factoryRejectsWrongArrayTypeNegativeDimsAndNullStrings() {
        assertTrue(assertThrows(InvalidInputException.class,
                () -> Tensor.of("x", TensorType.INT32, new long[] {1}, new long[1])).getMessage()
                .startsWith("tensor 'x' of datatype INT32 needs a int[]"));
        assertThrows(InvalidInputException.class, () -> Tensor.ofFp32("x", new long[] {-1}, new float[0]));
        assertThrows(InvalidInputException.class, () -> Tensor.ofBytes("s", new long[] {1}, new byte[1][]));
    }

    @Test
    void scalarHasOneElementAndShapeIsCopied() {
        long[] shape = {};
        Tensor scalar = Tensor.ofFp64("s", shape, new double[] {2});
        assertEquals(1, scalar.elementCount());
        long[] dims = {2};
        Tensor t = Tensor.ofInt32("t", dims, new int[] {1, 2});
        dims[0] = 5;
        assertArrayEquals(new long[] {2}, t.shape());
    }

    @Test
    void zerosFillEveryTypeIncludingEmptyStrings() {
        for (TensorType type : TensorType.values()) {
            Tensor zeros = Tensor.zeros("z", type, new long[] {2, 2});
            assertEquals(4, zeros.elementCount());
            assertEquals(Tensor.arrayClass(type), zeros.data().getClass());
        }
        assertArrayEquals(new String[] {"", ""}, Tensor.zeros("z", TensorType.BYTES, new long[] {2}).strings());
    }

    @Test
    void protocolNamesParseExactly() {
        for (TensorType type : TensorType.values()) {
            assertEquals(type, TensorType.fromProtocolName(type.protocolName()));
        }
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TensorType.fromProtocolName("FLOAT32"));
        assertTrue(e.getMessage().startsWith("unknown datatype 'FLOAT32'"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> TensorType.fromProtocolName(null));
    }
}
