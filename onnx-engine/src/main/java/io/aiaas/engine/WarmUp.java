package io.aiaas.engine;

import java.util.Objects;

/**
 * The outcome of warming a model up: with the caller's example, with zero-filled inputs, or skipped because the
 * model refused zeros (many real models do: a branch selector, a token id, a length).
 *
 * @param status what ran
 * @param reason why it was skipped (ONNX Runtime's cleaned message); null unless {@link Status#SKIPPED}
 */
public record WarmUp(Status status, String reason) {

    /** What the warm-up ran. */
    public enum Status {
        /** The caller's example request ran. */
        EXAMPLE,
        /** Zero-filled inputs (dynamic dimensions 1, empty strings) ran. */
        ZEROS,
        /** Zero-filled inputs were refused by the model; nothing ran. */
        SKIPPED
    }

    public WarmUp {
        Objects.requireNonNull(status, "status");
        if ((status == Status.SKIPPED) != (reason != null)) {
            throw new IllegalArgumentException("a reason goes with SKIPPED and only with it");
        }
    }

    public static WarmUp example() {
        return new WarmUp(Status.EXAMPLE, null);
    }

    public static WarmUp zeros() {
        return new WarmUp(Status.ZEROS, null);
    }

    public static WarmUp skipped(String reason) {
        return new WarmUp(Status.SKIPPED, reason);
    }

    public boolean skipped() {
        return status == Status.SKIPPED;
    }
}
