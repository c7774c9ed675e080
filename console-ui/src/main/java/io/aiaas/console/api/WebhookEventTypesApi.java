package io.aiaas.console.api;

import io.aiaas.console.api.tenant.WebhookEventType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * platform-api's catalogue of the webhook event types a tenant may choose, as the signed-in person (any may read it):
 * the one list the webhook page offers, so that a type platform-api adds is offered without a new console.
 */
@RegisterRestClient(configKey = "platform-api")
@RegisterClientHeaders(BearerToken.class)
@RegisterProvider(ProblemMapper.class)
@Path("/api/v1/webhook-event-types")
@Produces(MediaType.APPLICATION_JSON)
public interface WebhookEventTypesApi {

    /**
     * Every type a tenant may choose, in platform-api's order, each with what it tells; {@code webhook.test} is not
     * one.
     */
    @GET
    List<WebhookEventType> all();
}
