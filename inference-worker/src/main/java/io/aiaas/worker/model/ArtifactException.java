package io.aiaas.worker.model;

/** Thrown when a model artifact cannot be downloaded or does not match its sha256. */
public class ArtifactException extends RuntimeException {

    private final boolean badArtifact;

    public ArtifactException(String message, boolean badArtifact) {
        super(message);
        this.badArtifact = badArtifact;
    }

    /** True when the bytes arrived but are wrong (sha256 mismatch, not a model); false when the download failed. */
    public boolean badArtifact() {
        return badArtifact;
    }
}
