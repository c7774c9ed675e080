package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CUDA provider options reach ONNX Runtime under its own names and spellings (no GPU needed). */
class CudaOptionsTest {

    @Test
    void everyConfiguredOptionBecomesOneProviderOption() {
        CudaOptions options = new CudaOptions(2L << 30, CudaOptions.ArenaExtendStrategy.SAME_AS_REQUESTED,
                CudaOptions.ConvAlgoSearch.HEURISTIC, false);
        assertEquals(Map.of("device_id", "3", "gpu_mem_limit", "2147483648",
                        "arena_extend_strategy", "kSameAsRequested", "cudnn_conv_algo_search", "HEURISTIC"),
                options.providerOptions(3));
    }

    @Test
    void defaultsLeaveOnnxRuntimesOwnDefaults() {
        assertEquals(Map.of("device_id", "0"), CudaOptions.defaults().providerOptions(0));
        assertEquals(CudaOptions.defaults(), new EngineOptions(EngineOptions.Device.CUDA, 1, 1, 0).cuda());
    }

    @Test
    void settingsAreReadInOnnxRuntimesOrOurSpelling() {
        assertEquals(CudaOptions.ArenaExtendStrategy.NEXT_POWER_OF_TWO, CudaOptions.ArenaExtendStrategy.parse("kNextPowerOfTwo"));
        assertEquals(CudaOptions.ArenaExtendStrategy.SAME_AS_REQUESTED, CudaOptions.ArenaExtendStrategy.parse("same-as-requested"));
        assertNull(CudaOptions.ArenaExtendStrategy.parse(" "));
        assertEquals(CudaOptions.ConvAlgoSearch.DEFAULT, CudaOptions.ConvAlgoSearch.parse("default"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CudaOptions.ArenaExtendStrategy.parse("kDouble"));
        assertTrue(bad.getMessage().contains("kNextPowerOfTwo or kSameAsRequested, not 'kDouble'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaOptions.ConvAlgoSearch.parse("fastest"));
        assertThrows(IllegalArgumentException.class, () -> new CudaOptions(-1, null, null, false));
    }
}
