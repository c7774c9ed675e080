package io.aiaas.platform.webhook.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.PathIds;
import io.aiaas.platform.webhook.service.CreatedWebhook;
import io.aiaas.platform.webhook.service.DeliveryView;
import io.aiaas.platform.webhook.service.QueuedDelivery;
import io.aiaas.platform.webhook.service.RedeliverFailedRequest;
import io.aiaas.platform.webhook.service.RotateSecretRequest;
import io.aiaas.platform.webhook.service.SetWebhookRequest;
import io.aiaas.platform.webhook.service.WebhookEventsRequest;
import io.aiaas.platform.webhook.service.WebhookRedeliveries;
import io.aiaas.platform.webhook.service.WebhookService;
import io.aiaas.platform.webhook.service.WebhookView;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Tenant API for the tenant's webhook (billing events, signed): tenant admins and platform admins only, since the
 * URL and the deliveries say where the tenant's data goes; plain members get 403, outsiders 404.
 */
@Path("/api/v1/tenants/{slug}/webhook")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "forbidden: only tenant admins manage the webhook",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class WebhookResource {

    private static final int DEFAULT_LIST = 50;

    private final AccessService access;
    private final WebhookService service;
    private final WebhookRedeliveries redeliveries;

    WebhookResource(AccessService access, WebhookService service, WebhookRedeliveries redeliveries) {
        this.access = access;
        this.service = service;
        this.redeliveries = redeliveries;
    }

    @PUT
    @Operation(operationId = "setWebhook")
    @APIResponse(responseCode = "200", description = "Configured with a new secret, shown in this response only; a"
            + " previous secret's overlap ends (to keep one, rotate with POST .../secret instead)")
    @APIResponse(responseCode = "400", description = "invalid_webhook_url: not http(s), over 2000 characters, with"
            + " user info, or a host that resolves to a loopback, private or link-local address",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public CreatedWebhook configure(@RestPath String slug, @Valid @NotNull SetWebhookRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.configure(tenant, body);
    }

    @POST
    @Path("secret")
    @Operation(operationId = "rotateWebhookSecret", description = "Replaces the signing secret, keeping the URL and"
            + " event types. For overlap_seconds (default 86400, at most 604800) each delivery is also signed with"
            + " the secret replaced (x-aiaas-signature: t=..,v1=<new>,v1=<previous>), so a receiver can switch"
            + " without refusing events; 0 ends the previous secret at once. An empty body takes the default.")
    @APIResponse(responseCode = "200", description = "The new secret (the only response that shows it) and until"
            + " when the previous one still signs (null: it no longer does)")
    @APIResponse(responseCode = "400", description = "invalid_json, validation_failed: overlap_seconds not from 0 to"
            + " 604800",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "webhook_not_found: the tenant has no webhook",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public CreatedWebhook rotateSecret(@RestPath String slug, @Valid RotateSecretRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.rotateSecret(tenant, body == null ? new RotateSecretRequest(null) : body);
    }

    @PUT
    @Path("events")
    @Operation(operationId = "chooseWebhookEvents", description = "The event types the webhook receives, replaced "
            + "(null: every type; webhook.test is always sent when asked for). Kept when the URL changes. The types "
            + "are listed in docs/webhooks.md and in the answer to an entry that is not one.")
    @APIResponse(responseCode = "200", description = "The webhook with its event types")
    @APIResponse(responseCode = "400", description = "invalid_json, validation_failed: an entry that is not an event"
            + " type (events[i]), an empty list",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "webhook_not_found: the tenant has no webhook",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public WebhookView chooseEvents(@RestPath String slug, @Valid @NotNull WebhookEventsRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.chooseEvents(tenant, body);
    }

    @GET
    @Operation(operationId = "getWebhook")
    @APIResponse(responseCode = "200", description = "The webhook's URL and when it was configured (no secret)")
    @APIResponse(responseCode = "404", description = "webhook_not_found: the tenant has no webhook",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public WebhookView get(@RestPath String slug) {
        TenantAccess tenant = access.requireTenantAdminToRead(slug);
        return service.find(tenant).orElseThrow(() -> ApiException.notFound("webhook_not_found",
                "Tenant '" + tenant.slug() + "' has no webhook"));
    }

    @DELETE
    @Operation(operationId = "removeWebhook")
    @APIResponse(responseCode = "204", description = "Removed (also when there was none); a closed tenant's admins may"
            + " still remove it, to stop the events of its last invoices")
    public void remove(@RestPath String slug) {
        // the one change a closed tenant may still make: stopping the events sent to its endpoint
        TenantAccess tenant = access.requireTenantAdminToRead(slug);
        service.remove(tenant);
    }

    @POST
    @Path("test")
    @Operation(operationId = "testWebhook")
    @APIResponse(responseCode = "202", description = "A webhook.test event was queued for delivery")
    @APIResponse(responseCode = "409", description = "webhook_not_configured",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<QueuedDelivery> test(@RestPath String slug) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return RestResponse.accepted(service.sendTest(tenant));
    }

    @POST
    @Path("deliveries/{id}/redeliver")
    @Operation(operationId = "redeliverWebhookEvent", description = "Sends a delivery's event again: a new delivery "
            + "of the same event (same event id and payload, so receivers that drop duplicates by x-aiaas-event-id "
            + "still can) to the webhook's URL and secret of now, whatever event types it receives. For an event "
            + "the receiver missed, after its delivery FAILED, or lost after it was DELIVERED.")
    @APIResponse(responseCode = "202", description = "The new delivery, queued; redelivery_of is the one it repeats")
    @APIResponse(responseCode = "404", description = "delivery_not_found: not one of the tenant's deliveries",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "webhook_not_configured; delivery_pending: a delivery of the "
            + "event is still pending (it is retried by itself)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<QueuedDelivery> redeliver(@RestPath String slug, @RestPath String id) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return RestResponse.accepted(redeliveries.redeliver(tenant, PathIds.uuid(id, "delivery_not_found")));
    }

    @POST
    @Path("deliveries/redeliver-failed")
    @Operation(operationId = "redeliverFailedWebhookEvents", description = "After the receiver's outage: sends again "
            + "every event whose latest delivery was created at or after since and FAILED, oldest first, at most "
            + WebhookRedeliveries.MAX_FAILED_AT_ONCE + " (more: true when that many were found; call again). Events "
            + "delivered since or on their way are left alone.")
    @APIResponse(responseCode = "202", description = "{since, queued, more}")
    @APIResponse(responseCode = "400", description = "invalid_json; invalid_since: not an ISO-8601 instant with its"
            + " offset",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "webhook_not_configured",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<WebhookRedeliveries.FailedRedelivered> redeliverFailed(@RestPath String slug,
            @NotNull RedeliverFailedRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return RestResponse.accepted(redeliveries.redeliverFailed(tenant, body.since()));
    }

    @GET
    @Path("deliveries")
    @Operation(operationId = "listWebhookDeliveries")
    @APIResponse(responseCode = "200", description = "Recent deliveries, newest first")
    @APIResponse(responseCode = "400", description = "invalid_limit, invalid_state",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<DeliveryView> deliveries(@RestPath String slug,
            @Parameter(description = "1 to 200, default 50") @RestQuery String limit,
            @Parameter(description = "PENDING, DELIVERED or FAILED (any case): only those; default every state")
            @RestQuery String state) {
        TenantAccess tenant = access.requireTenantAdminToRead(slug);
        return service.deliveries(tenant, parseLimit(limit), parseState(state));
    }

    private static String parseState(String state) {
        if (state == null || state.isEmpty()) {
            return null;
        }
        String upper = state.toUpperCase(Locale.ROOT);
        if (WebhookService.STATES.contains(upper)) {
            return upper;
        }
        String shown = state.length() > 40 ? state.substring(0, 40) + "..." : state;
        throw ApiException.badRequest("invalid_state", "state '" + shown + "' is not one of "
                + String.join(", ", WebhookService.STATES));
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIST;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= WebhookService.MAX_LIST) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("invalid_limit", "limit must be an integer from 1 to " + WebhookService.MAX_LIST);
    }
}
