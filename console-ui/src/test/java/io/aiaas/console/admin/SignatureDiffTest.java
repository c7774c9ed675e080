package io.aiaas.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.ModelVersion.Placement;
import io.aiaas.console.api.admin.ModelVersion.Signature;
import io.aiaas.console.api.admin.ModelVersion.Tensor;
import io.aiaas.console.api.admin.Rollout;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SignatureDiffTest {

    private static final Tensor X = tensor("x", "FP32", -1, 4);
    private static final Tensor MASK = tensor("mask", "INT64", -1, 4);
    private static final Tensor Y = tensor("y", "FP32", -1, 3);

    private static Tensor tensor(String name, String datatype, long... shape) {
        return new Tensor(name, datatype, Arrays.stream(shape).boxed().toList());
    }

    private static Signature signature(List<Tensor> inputs, List<Tensor> outputs) {
        return new Signature(inputs, outputs, null);
    }

    private static ModelVersion version(int number, Signature signature) {
        return version(number, "ready", signature, "READY");
    }

    /** A version placed on one UP worker in that state (null: placed nowhere). */
    private static ModelVersion version(int number, String status, Signature signature, String state) {
        List<Placement> placements = state == null ? List.of()
                : List.of(new Placement(UUID.randomUUID(), "w", "http://w", "UP", null, state, null, null));
        return new ModelVersion(UUID.randomUUID(), "m", number, status, null, "ab", 1, signature, null, null, null,
                null, placements, null);
    }

    private static String diff(Signature canary, Signature other) {
        SignatureDiff diff = SignatureDiff.between(version(3, canary), version(2, other));
        return diff == null ? null : diff.what() + ": " + diff.summary();
    }

    private static ModelDetail model(Rollout rollout, ModelVersion... versions) {
        return new ModelDetail(UUID.randomUUID(), "m", null, "public", null, null, null, List.of(versions), rollout, null);
    }

    private static Rollout canary(Integer stable, int canary) {
        return new Rollout(stable, canary, 10, "call", null, null, null, null, null, null);
    }

    @Test
    void sameSignaturesDoNotDiffer() {
        assertNull(diff(signature(List.of(X, MASK), List.of(Y)), signature(List.of(X, MASK), List.of(Y))));
    }

    @Test
    void theOrderOfInputsDoesNotMatter() {
        assertNull(diff(signature(List.of(MASK, X), List.of(Y)), signature(List.of(X, MASK), List.of(Y))));
    }

    @Test
    void aChangedShapeIsSaidWithBothSides() {
        assertEquals("inputs: input 'x': FP32 [-1, 3] vs FP32 [-1, 4]",
                diff(signature(List.of(tensor("x", "FP32", -1, 3)), List.of(Y)), signature(List.of(X), List.of(Y))));
    }

    @Test
    void aChangedDatatypeIsSaidWithBothSides() {
        assertEquals("inputs: input 'x': FP64 [-1, 4] vs FP32 [-1, 4]",
                diff(signature(List.of(tensor("x", "FP64", -1, 4)), List.of(Y)), signature(List.of(X), List.of(Y))));
    }

    @Test
    void anInputTheCanaryLacksIsMissing() {
        assertEquals("inputs: input 'mask' is missing",
                diff(signature(List.of(X), List.of(Y)), signature(List.of(X, MASK), List.of(Y))));
    }

    @Test
    void anInputOnlyTheCanaryHasIsNew() {
        assertEquals("inputs: input 'mask' is new",
                diff(signature(List.of(MASK, X), List.of(Y)), signature(List.of(X), List.of(Y))));
    }

    @Test
    void anAddedOutputIsNewAndInputsComeFirst() {
        Tensor prob = tensor("prob", "FP32", -1, 3);
        assertEquals("outputs: output 'prob' is new",
                diff(signature(List.of(X), List.of(Y, prob)), signature(List.of(X), List.of(Y))));
        assertEquals("inputs and outputs: input 'x': FP32 [-1, 3] vs FP32 [-1, 4]; output 'prob' is new",
                diff(signature(List.of(tensor("x", "FP32", -1, 3)), List.of(prob, Y)),
                        signature(List.of(X), List.of(Y))));
    }

    @Test
    void aShapeLeftOpenIsNotAScalar() {
        assertEquals("inputs: input 'x': FP32 any shape vs FP32 []",
                diff(signature(List.of(new Tensor("x", "FP32", null)), List.of(Y)),
                        signature(List.of(tensor("x", "FP32")), List.of(Y))));
    }

    @Test
    void anUnknownSignatureIsNoWarning() {
        Signature known = signature(List.of(X), List.of(Y));
        assertNull(diff(null, known));
        assertNull(diff(known, null));
        assertNull(diff(signature(List.of(), List.of()), known));
        assertNull(diff(known, signature(null, null)));
    }

    @Test
    void theCanaryIsComparedWithTheStableVersion() {
        Signature wide = signature(List.of(tensor("x", "FP32", -1, 8)), List.of(Y));
        ModelDetail model = model(canary(1, 3), version(1, signature(List.of(X), List.of(Y))),
                version(2, wide), version(3, wide));
        SignatureDiff diff = SignatureDiff.canary(model);
        assertEquals(3, diff.version());
        assertEquals(1, diff.other());
        assertEquals("input 'x': FP32 [-1, 8] vs FP32 [-1, 4]", diff.summary());
    }

    @Test
    void withoutAStableVersionTheNewestServedOtherVersionIsCompared() {
        Signature wide = signature(List.of(tensor("x", "FP32", -1, 8)), List.of(Y));
        Signature narrow = signature(List.of(X), List.of(Y));
        // version 4 is newer but no worker holds it yet; version 5 is retired
        ModelDetail model = model(canary(null, 3), version(1, narrow), version(2, wide), version(3, narrow),
                version(4, "ready", narrow, "LOADING"), version(5, "retired", narrow, null));
        assertEquals(2, SignatureDiff.canary(model).other());
        // none served: the newest other version not retired
        model = model(canary(null, 3), version(2, "ready", wide, "FAILED"), version(3, narrow),
                version(4, "ready", narrow, null));
        assertNull(SignatureDiff.canary(model));
        model = model(canary(null, 3), version(2, "ready", narrow, "FAILED"), version(3, narrow),
                version(4, "ready", wide, null));
        assertEquals(4, SignatureDiff.canary(model).other());
    }

    private static Rollout shadow(Integer stable, Integer canary, int shadow) {
        return new Rollout(stable, canary, canary == null ? null : 10, canary == null ? null : "call", null, null,
                null, null, shadow, 25);
    }

    @Test
    void theShadowIsComparedWithTheStableVersion() {
        Signature wide = signature(List.of(tensor("x", "FP32", -1, 8)), List.of(Y));
        ModelDetail model = model(shadow(1, null, 3), version(1, signature(List.of(X), List.of(Y))),
                version(2, wide), version(3, wide));
        SignatureDiff diff = SignatureDiff.shadow(model);
        assertEquals(3, diff.version());
        assertEquals(1, diff.other());
        assertEquals("input 'x': FP32 [-1, 8] vs FP32 [-1, 4]", diff.summary());
        assertNull(SignatureDiff.canary(model));
    }

    @Test
    void withoutAStableVersionTheShadowIsComparedWithTheNewestServedVersionTheCanaryAside() {
        Signature wide = signature(List.of(tensor("x", "FP32", -1, 8)), List.of(Y));
        Signature narrow = signature(List.of(X), List.of(Y));
        // version 3 is the canary, newer than 2 and served: the shadow's copies are of the calls 2 answers
        ModelDetail model = model(shadow(null, 3, 4), version(2, narrow), version(3, wide), version(4, wide));
        assertEquals(2, SignatureDiff.shadow(model).other());
        // and the canary's other calls never go to the shadow, newer and served as it is
        assertEquals(2, SignatureDiff.canary(model).other());
        assertEquals(3, SignatureDiff.canary(model).version());
    }

    @Test
    void noShadowOrNoOtherVersionIsNoShadowWarning() {
        Signature wide = signature(List.of(tensor("x", "FP32", -1, 8)), List.of(Y));
        Signature narrow = signature(List.of(X), List.of(Y));
        assertNull(SignatureDiff.shadow(model(canary(2, 3), version(2, narrow), version(3, wide))));
        assertNull(SignatureDiff.shadow(model(Rollout.NONE, version(2, narrow), version(3, wide))));
        assertNull(SignatureDiff.shadow(model(shadow(null, null, 3), version(3, wide))));
        assertNull(SignatureDiff.shadow(model(shadow(2, null, 3), version(2, narrow), version(3, narrow))));
    }

    @Test
    void onlyAMissingOrChangedOutputIsAChangedOutput() {
        Tensor prob = tensor("prob", "FP32", -1, 3);
        SignatureDiff added = SignatureDiff.between(version(3, signature(List.of(X), List.of(Y, prob))),
                version(2, signature(List.of(X), List.of(Y))));
        assertTrue(added.outputsDiffer());
        assertFalse(added.outputsChanged());
        SignatureDiff missing = SignatureDiff.between(version(3, signature(List.of(X), List.of(prob))),
                version(2, signature(List.of(X), List.of(Y))));
        assertTrue(missing.outputsChanged());
    }

    @Test
    void noCanaryOrNoOtherVersionIsNoWarning() {
        Signature wide = signature(List.of(tensor("x", "FP32", -1, 8)), List.of(Y));
        Signature narrow = signature(List.of(X), List.of(Y));
        assertNull(SignatureDiff.canary(model(Rollout.NONE, version(2, wide), version(3, narrow))));
        assertNull(SignatureDiff.canary(model(new Rollout(2, null, null, null, null, null, null, null, null, null),
                version(2, wide), version(3, narrow))));
        assertNull(SignatureDiff.canary(model(canary(null, 3), version(3, narrow))));
    }
}
