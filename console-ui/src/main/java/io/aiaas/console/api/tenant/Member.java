package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.UUID;

/** A member of the tenant: by e-mail or OIDC subject; role admin or member. */
public record Member(UUID id, String email, String subject, String role, Instant createdAt) {

    public boolean admin() {
        return "admin".equals(role);
    }

    /** How the member is shown: the e-mail, else the subject. */
    public String who() {
        return email != null && !email.isBlank() ? email : subject;
    }
}
