package io.aiaas.platform.access;

/**
 * A person calling the admin or tenant API, as their OIDC token says.
 *
 * @param subject the token's {@code sub}
 * @param email the token's {@code email}, or null
 * @param platformAdmin whether the token carries the realm role {@code platform-admin}
 */
public record Caller(String subject, String email, String username, boolean platformAdmin) {

    /** How the audit log names this caller. */
    public String actor() {
        return email != null ? email : subject;
    }
}
