package io.aiaas.console.admin;

import io.aiaas.console.api.admin.CreatedEnrolmentToken;
import io.aiaas.console.api.admin.EnrolmentToken;
import io.aiaas.console.api.admin.Worker;
import io.aiaas.console.api.admin.WorkerIdentity;
import io.aiaas.console.web.FormError;
import java.util.List;
import java.util.UUID;

/**
 * What {@code /admin/workers} shows: the workers, the enrolment tokens and the worker identities (each of the last two
 * with why it could not be read instead, the rest of the page showing anyway), the token just created (its secret
 * shown once, on the answer to the POST only), the create form as typed, a refused form's error and the notice of the
 * last redirected action.
 *
 * @param tokensError why the tokens could not be read, else null
 * @param identitiesError why the identities could not be read, else null
 * @param created the token just created, else null
 * @param confirm what was typed in a refused revoke-identity form (the row of {@code error}), else ""
 * @param done the notice after a revocation, else null
 */
public record WorkersPage(List<Worker> workers, List<EnrolmentToken> tokens, String tokensError,
        List<WorkerIdentity> identities, String identitiesError, CreatedEnrolmentToken created,
        EnrolmentTokenForm form, FormError error, String confirm, String done) {

    /** The name of the enrolment token with that id, for the identity that enrolled with it; null if not listed. */
    public String tokenName(UUID id) {
        return id == null ? null
                : tokens.stream().filter(t -> id.equals(t.id())).map(EnrolmentToken::name).findFirst().orElse(null);
    }

    /** The message of a refused revocation of a token ({@code revoke-token-<id>}), else null. */
    public String revokeTokenError() {
        return errorOfRow(AdminWorkersResource.REVOKE_TOKEN);
    }

    /** The message of a refused revocation of an identity ({@code revoke-identity-<id>}), else null. */
    public String revokeIdentityError() {
        return errorOfRow(AdminWorkersResource.REVOKE_IDENTITY);
    }

    /** What the revoke form of that identity holds: what was typed when it was refused, else "". */
    public String confirmFor(UUID id) {
        return error.onRow(AdminWorkersResource.REVOKE_IDENTITY, id) ? confirm : "";
    }

    private String errorOfRow(String prefix) {
        return error.form() != null && error.form().startsWith(prefix + "-") ? error.message() : null;
    }
}
