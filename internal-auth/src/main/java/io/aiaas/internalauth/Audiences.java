package io.aiaas.internalauth;

/**
 * Audiences of internal tokens: who a token is meant for. A token to a worker names that worker's identity id as
 * its audience (no constant here), so a token captured from one worker opens no other.
 */
public final class Audiences {
    /** Tokens workers send to the control plane's internal API. */
    public static final String CONTROL_PLANE = "aiaas-control-plane";

    private Audiences() {
    }
}
