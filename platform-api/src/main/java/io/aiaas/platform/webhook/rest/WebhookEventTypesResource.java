package io.aiaas.platform.webhook.rest;

import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.webhook.service.WebhookEvents;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The webhook event types a tenant may choose, with what each tells: the one catalogue, which the console and API
 * clients read instead of keeping a copy that falls behind when a type is added. The same for everyone signed in.
 */
@Path("/api/v1/webhook-event-types")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class WebhookEventTypesResource {

    @GET
    @Operation(operationId = "listWebhookEventTypes", description = "Every event type PUT .../webhook/events accepts,"
            + " in its order, with what it tells; webhook.test is always sent and not listed")
    @APIResponse(responseCode = "200", description = "[{type, description}]")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<WebhookEvents.EventType> eventTypes() {
        return WebhookEvents.CATALOGUE;
    }
}
