package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of {@code POST .../members}: a person by e-mail or by account id (OIDC subject), and a role. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Invitation(String email, String subject, String role) {

    /** Someone named by what an admin typed: an e-mail address when it has an @, else their account id. */
    public static Invitation of(String person, String role) {
        String who = person.trim();
        return who.contains("@") ? new Invitation(who, null, role) : new Invitation(null, who, role);
    }
}
