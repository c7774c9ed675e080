package io.aiaas.worker.model;

/** Thrown to a caller waiting for a load that ended FAILED; the message is the recorded reason. */
public class ModelLoadFailedException extends RuntimeException {

    private final boolean badArtifact;

    public ModelLoadFailedException(String message, boolean badArtifact) {
        super(message);
        this.badArtifact = badArtifact;
    }

    /** False when the failure was reaching the control plane rather than the artifact itself. */
    public boolean badArtifact() {
        return badArtifact;
    }
}
