package io.aiaas.engine;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Tensor datatypes, named exactly as the Open Inference Protocol spells them. */
public enum TensorType {
    BOOL(1),
    UINT8(1),
    UINT16(2),
    UINT32(4),
    UINT64(8),
    INT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    FP16(2),
    FP32(4),
    FP64(8),
    BYTES(-1);

    private final int elementBytes;

    TensorType(int elementBytes) {
        this.elementBytes = elementBytes;
    }

    /** Bytes per element in a native ONNX Runtime buffer; -1 for BYTES, which has no fixed width. */
    public int elementBytes() {
        return elementBytes;
    }

    /** The protocol's spelling, for example {@code FP32}. */
    public String protocolName() {
        return name();
    }

    /**
     * Parses a protocol datatype name.
     *
     * @throws InvalidInputException when the name is not one of the protocol's datatypes
     */
    public static TensorType fromProtocolName(String name) {
        if (name != null) {
            for (TensorType type : values()) {
                if (type.name().equals(name)) {
                    return type;
                }
            }
        }
        throw new InvalidInputException("unknown datatype '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
