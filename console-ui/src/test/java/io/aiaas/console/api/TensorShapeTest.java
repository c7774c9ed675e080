package io.aiaas.console.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.tenant.ModelCard;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorShapeTest {

    @Test
    void noShapeIsAnyShapeWhileAnEmptyShapeIsAScalar() {
        assertEquals("any shape", TensorShape.text(null));
        assertEquals("[]", TensorShape.text(List.of()));
        assertEquals("[-1, 4]", TensorShape.text(List.of(-1L, 4L)));
    }

    @Test
    void theAdminVersionsAndTheTenantCardSayAShapeLeftOpenAlike() {
        assertEquals("x FP32 any shape", new ModelVersion.Tensor("x", "FP32", null).describe());
        assertEquals("x FP32 []", new ModelVersion.Tensor("x", "FP32", List.of()).describe());
        assertEquals("any shape", new ModelCard.Tensor("x", "FP32", null).shapeText());
        assertEquals("[]", new ModelCard.Tensor("x", "FP32", List.of()).shapeText());
    }
}
