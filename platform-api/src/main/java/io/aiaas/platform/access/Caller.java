package io.aiaas.platform.access;

/**
 * A person calling the admin or tenant API, as their OIDC token says.
 *
 * @param subject the token's {@code sub}
 * @param email the token's {@code email}, or null
 * @param emailVerified the token's {@code email_verified}: only a verified address may match a membership by e-mail
 * @param platformAdmin whether the token carries the realm role {@code platform-admin}
 */
public record Caller(String subject, String email, boolean emailVerified, String username, boolean platformAdmin) {

    /** How the audit log names this caller. */
    public String actor() {
        return email != null ? email : subject;
    }

    /** The e-mail address a membership may be matched by: only a verified one. */
    public String verifiedEmail() {
        return emailVerified ? email : null;
    }
}
