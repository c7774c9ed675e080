package io.aiaas.internalauth;

/** Issuers of internal tokens: who signed a token. */
public final class Issuers {
    /** The control plane (platform-api). */
    public static final String PLATFORM = "aiaas-platform";
    /** An inference worker. */
    public static final String WORKER = "aiaas-worker";

    private Issuers() {
    }
}
