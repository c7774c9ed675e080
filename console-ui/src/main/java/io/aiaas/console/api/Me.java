package io.aiaas.console.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The signed-in person as platform-api's {@code GET /api/v1/me} describes them. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Me(String subject, String email, @JsonProperty("email_verified") boolean emailVerified, String username,
        @JsonProperty("platform_admin") boolean platformAdmin, List<Membership> tenants) {

    /**
     * A tenant this person belongs to; role is admin or member, status active, suspended or closed;
     * {@code suspended_reason} {@code non_payment} when platform-api suspended it for an invoice unpaid past its grace;
     * {@code suspension_note} what the platform's operator who suspended it told it (absent without one).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Membership(String slug, String name, String role, String status,
            @JsonProperty("suspended_reason") String suspendedReason,
            @JsonProperty("suspension_note") String suspensionNote) {
        public boolean admin() {
            return "admin".equalsIgnoreCase(role);
        }

        /** Its API keys are refused until it is resumed. */
        public boolean suspended() {
            return "suspended".equalsIgnoreCase(status);
        }

        /** Suspended by platform-api for not paying: recording the payment resumes it. */
        public boolean suspendedForNonPayment() {
            return suspended() && "non_payment".equals(suspendedReason);
        }

        /** What the operator who suspended it told it, or null: none while it is not suspended by an operator. */
        public String operatorNote() {
            return suspended() && !suspendedForNonPayment() && suspensionNote != null && !suspensionNote.isBlank()
                    ? suspensionNote : null;
        }

        /** Closed for good: its pages stay readable, every change is refused (409 {@code tenant_closed}). */
        public boolean closed() {
            return "closed".equalsIgnoreCase(status);
        }
    }

    /** The name to show in the header. */
    public String displayName() {
        return email != null && !email.isBlank() ? email : username != null ? username : subject;
    }

    public List<Membership> tenants() {
        return tenants == null ? List.of() : tenants;
    }
}
