package io.aiaas.platform.tenant.service;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /admin/v1/tenants/{slug}/members}: a person by e-mail or by OIDC subject, and a role. */
public record AddMemberRequest(
        @Email @Size(max = 320) String email,
        @Size(min = 1, max = 255) String subject,
        @NotNull @Pattern(regexp = "admin|member", message = "must be 'admin' or 'member'") String role) {

    @AssertTrue(message = "give an email or a subject")
    public boolean isIdentified() {
        return (email != null && !email.isBlank()) || (subject != null && !subject.isBlank());
    }
}
