package io.aiaas.platform.gateway;

import io.aiaas.platform.apikey.service.ApiKeyAuthenticator.KeyPrincipal;
import io.aiaas.platform.common.error.ApiException;
import java.util.stream.Collectors;

/**
 * Why a valid key is refused before its call is looked at (its tenant is not active, the key is disabled, or the
 * call comes from outside the key's networks), in words its caller can act on.
 */
final class CallerRefusals {

    private CallerRefusals() {
    }

    /**
     * 403 {@code tenant_closed} (a closed tenant's keys are revoked as it closes; this catches one issued while it was
     * closing) or {@code tenant_suspended}: for an unpaid invoice, or with the operator's note, when known.
     */
    static ApiException of(KeyPrincipal caller) {
        if ("CLOSED".equals(caller.tenantStatus())) {
            return ApiException.forbidden("tenant_closed", "tenant " + caller.tenantSlug()
                    + " is closed; its keys cannot call models");
        }
        String note = caller.suspensionNote();
        if ("non_payment".equals(caller.suspendedReason())) {
            return ApiException.forbidden("tenant_suspended", "tenant " + caller.tenantSlug() + " is suspended for an"
                    + " invoice unpaid past its due date; its keys work again once it is paid" + (note == null ? ""
                            : " (the platform's operator adds: " + note + ")"));
        }
        return ApiException.forbidden("tenant_suspended", "tenant " + caller.tenantSlug() + (note == null
                ? " is suspended; its keys cannot call models" : " is suspended by the platform's operator: " + note));
    }

    /** 403 {@code key_disabled}: a tenant admin disabled the key for a while; enabling it lets it call again. */
    static ApiException disabled() {
        return ApiException.forbidden("key_disabled", "this API key is disabled; a tenant admin can enable it again"
                + " (PUT /api/v1/tenants/{slug}/keys/{id}/disabled)");
    }

    /** 403 {@code network_not_allowed}: the key may be used only from its networks, and the call came from elsewhere. */
    static ApiException network(KeyPrincipal caller, String client) {
        String networks = caller.networks().stream().map(Object::toString).collect(Collectors.joining(", "));
        return ApiException.forbidden("network_not_allowed", "this API key may be used only from " + networks
                + "; this call came from " + (client == null ? "an address that could not be read" : client)
                + " (a tenant admin can change the key's networks)");
    }
}
