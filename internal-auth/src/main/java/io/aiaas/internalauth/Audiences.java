package io.aiaas.internalauth;

/** Audiences of internal tokens: who a token is meant for. */
public final class Audiences {
    /** Tokens the control plane sends to workers. */
    public static final String WORKER = "aiaas-worker";
    /** Tokens workers send to the control plane's internal API. */
    public static final String CONTROL_PLANE = "aiaas-control-plane";

    private Audiences() {
    }
}
