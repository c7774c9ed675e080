package io.aiaas.console.api.tenant;

/** Body of {@code POST .../members}: a person by e-mail, and a role (admin or member). */
public record Invitation(String email, String role) {
}
