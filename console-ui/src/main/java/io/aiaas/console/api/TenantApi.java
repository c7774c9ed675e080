package io.aiaas.console.api;

import io.aiaas.console.api.tenant.ApiKey;
import io.aiaas.console.api.tenant.AuditPage;
import io.aiaas.console.api.tenant.BillingParty;
import io.aiaas.console.api.tenant.BillingProfile;
import io.aiaas.console.api.tenant.BillingTimeZone;
import io.aiaas.console.api.tenant.CloseConfirmation;
import io.aiaas.console.api.tenant.ClosedTenant;
import io.aiaas.console.api.tenant.CostReport;
import io.aiaas.console.api.tenant.CreatedKey;
import io.aiaas.console.api.tenant.CreatedWebhook;
import io.aiaas.console.api.tenant.FailedRedelivered;
import io.aiaas.console.api.tenant.FailedRedelivery;
import io.aiaas.console.api.tenant.Invitation;
import io.aiaas.console.api.tenant.Invoice;
import io.aiaas.console.api.tenant.KeyBudget;
import io.aiaas.console.api.tenant.KeyDisabled;
import io.aiaas.console.api.tenant.KeyExpiry;
import io.aiaas.console.api.tenant.KeyModels;
import io.aiaas.console.api.tenant.KeyName;
import io.aiaas.console.api.tenant.KeyNetworks;
import io.aiaas.console.api.tenant.KeyRateLimit;
import io.aiaas.console.api.tenant.LineUsage;
import io.aiaas.console.api.tenant.Member;
import io.aiaas.console.api.tenant.ModelCard;
import io.aiaas.console.api.tenant.ModelSettings;
import io.aiaas.console.api.tenant.NewKey;
import io.aiaas.console.api.tenant.NewWebhook;
import io.aiaas.console.api.tenant.PlanChoice;
import io.aiaas.console.api.tenant.PlanSelection;
import io.aiaas.console.api.tenant.PlanStatus;
import io.aiaas.console.api.tenant.QueuedDelivery;
import io.aiaas.console.api.tenant.RoleChange;
import io.aiaas.console.api.tenant.Rotation;
import io.aiaas.console.api.tenant.TenantBudget;
import io.aiaas.console.api.tenant.TenantCredits;
import io.aiaas.console.api.tenant.UsageReport;
import io.aiaas.console.api.tenant.Webhook;
import io.aiaas.console.api.tenant.WebhookDelivery;
import io.aiaas.console.api.tenant.WebhookEvents;
import io.aiaas.console.api.tenant.WebhookRotation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * platform-api's tenant API ({@code /api/v1/tenants/{slug}/...}) as the signed-in person: the API decides what they
 * may see and do (members read, tenant admins manage keys and members, choose a self-service plan, cap the tenant's
 * spend, set the billing profile and time zone, manage the webhook and close the tenant). Null query parameters are
 * left out. Every change to a closed tenant answers 409 {@code tenant_closed}; its reads still work.
 */
@RegisterRestClient(configKey = "platform-api")
@RegisterClientHeaders(BearerToken.class)
@RegisterProvider(ProblemMapper.class)
@Path("/api/v1/tenants/{slug}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface TenantApi {

    /**
     * Closes the tenant for good (its admins and platform admins): every key is revoked, the plan ends now (this month
     * is still invoiced), scheduled plan changes are cancelled. 400 {@code confirmation_mismatch} unless
     * {@code confirm} is the slug; 409 {@code tenant_closed} when it already is.
     */
    @POST
    @Path("close")
    ClosedTenant close(@PathParam("slug") String slug, CloseConfirmation body);

    @GET
    @Path("plan")
    PlanStatus plan(@PathParam("slug") String slug);

    /** The self-service plans the tenant's admins may choose (not archived), by name. */
    @GET
    @Path("plan/choices")
    List<PlanChoice> planChoices(@PathParam("slug") String slug);

    /**
     * Moves the tenant to a self-service plan at the start of its next billing period, or at once (an upgrade); the
     * plan it is on now cancels a pending change. Answers the plan status: the plan in effect, the pending change as
     * {@code next_plan}.
     */
    @PUT
    @Path("plan")
    PlanStatus choosePlan(@PathParam("slug") String slug, PlanSelection body);

    /** Usage report: bucket_width 1m, 1h or 1d; group_by model or key; model and key_id filter. */
    @GET
    @Path("usage")
    UsageReport usage(@PathParam("slug") String slug, @QueryParam("start") String start, @QueryParam("end") String end,
            @QueryParam("bucket_width") String bucketWidth, @QueryParam("group_by") String groupBy,
            @QueryParam("model") String model, @QueryParam("key_id") String keyId);

    /** The same report as a CSV download (text/csv with Content-Disposition). */
    @GET
    @Path("usage.csv")
    @Produces("text/csv")
    Response usageCsv(@PathParam("slug") String slug, @QueryParam("start") String start,
            @QueryParam("end") String end, @QueryParam("bucket_width") String bucketWidth,
            @QueryParam("group_by") String groupBy, @QueryParam("model") String model,
            @QueryParam("key_id") String keyId);

    @GET
    @Path("costs")
    CostReport costs(@PathParam("slug") String slug, @QueryParam("start") String start, @QueryParam("end") String end,
            @QueryParam("bucket_width") String bucketWidth, @QueryParam("group_by") String groupBy,
            @QueryParam("model") String model, @QueryParam("key_id") String keyId);

    @GET
    @Path("keys")
    List<ApiKey> keys(@PathParam("slug") String slug);

    @POST
    @Path("keys")
    CreatedKey createKey(@PathParam("slug") String slug, NewKey body);

    @DELETE
    @Path("keys/{id}")
    void revokeKey(@PathParam("slug") String slug, @PathParam("id") UUID id);

    @POST
    @Path("keys/{id}/rotate")
    CreatedKey rotateKey(@PathParam("slug") String slug, @PathParam("id") UUID id, Rotation body);

    @PUT
    @Path("keys/{id}/models")
    ApiKey replaceKeyModels(@PathParam("slug") String slug, @PathParam("id") UUID id, KeyModels body);

    /**
     * Sets a live (active or disabled) key's monthly budget, or removes it (null); answers the key. 409
     * {@code key_not_active} for a revoked or expired key.
     */
    @PUT
    @Path("keys/{id}/budget")
    ApiKey setKeyBudget(@PathParam("slug") String slug, @PathParam("id") UUID id, KeyBudget body);

    /**
     * Sets the tenant's own spending limit, what all its keys together may spend in a billing period, or removes it
     * (null: only the plan's budget); answers the limit now. Calls beyond it get 429 {@code tenant_budget_exceeded}
     * until the next period. 403 {@code forbidden} for a member, 409 {@code tenant_closed}, 400
     * {@code validation_failed} on {@code monthly_budget_micros}.
     */
    @PUT
    @Path("budget")
    TenantBudget setBudget(@PathParam("slug") String slug, TenantBudget body);

    /**
     * Sets a live (active or disabled) key's limit of requests per minute, or removes it (null: only the plan's
     * limits); answers the key. 409 {@code key_not_active} for a revoked or expired key.
     */
    @PUT
    @Path("keys/{id}/rate-limit")
    ApiKey setKeyRateLimit(@PathParam("slug") String slug, @PathParam("id") UUID id, KeyRateLimit body);

    /**
     * Replaces the client networks a live (active or disabled) key may be used from, or lets it be used from anywhere
     * (null); answers the key (its networks canonical). 400 {@code validation_failed} with a violation per refused
     * entry ({@code allowed_networks[i]}), 409 {@code key_not_active} for a revoked or expired key.
     */
    @PUT
    @Path("keys/{id}/networks")
    ApiKey setKeyNetworks(@PathParam("slug") String slug, @PathParam("id") UUID id, KeyNetworks body);

    /**
     * Moves a live (active or disabled) key's expiry, later or sooner, or lets it never expire (null); its secret stays
     * the same, and the expiry notice ({@code api_key.expiring}) follows the new date. Answers the key. 400
     * {@code validation_failed} for a time not in the future or after the year 9999, 409 {@code key_not_active} for a
     * revoked or expired key.
     */
    @PUT
    @Path("keys/{id}/expiry")
    ApiKey setKeyExpiry(@PathParam("slug") String slug, @PathParam("id") UUID id, KeyExpiry body);

    /**
     * Disables a key for a while ({@code true}: its calls are refused with 403 {@code key_disabled}, its secret and
     * settings are kept) or enables it again ({@code false}); answers the key (status disabled or active, with
     * {@code disabled_at}). 403 {@code forbidden} for a member, 404 {@code api_key_not_found}, 409
     * {@code key_not_active} for a revoked or expired key.
     */
    @PUT
    @Path("keys/{id}/disabled")
    ApiKey setKeyDisabled(@PathParam("slug") String slug, @PathParam("id") UUID id, KeyDisabled body);

    /**
     * Renames a live (active or disabled) key; its secret and settings stay. Answers the key. 400
     * {@code validation_failed} for a blank name or one over 100 characters, 403 {@code forbidden} for a member, 404
     * {@code api_key_not_found}, 409 {@code key_not_active} for a revoked or expired key.
     */
    @PUT
    @Path("keys/{id}/name")
    ApiKey renameKey(@PathParam("slug") String slug, @PathParam("id") UUID id, KeyName body);

    @GET
    @Path("models")
    List<ModelCard> models(@PathParam("slug") String slug);

    @GET
    @Path("models/{name}")
    ModelCard model(@PathParam("slug") String slug, @PathParam("name") String name);

    /** The version the tenant pinned for calls that name none, or "latest" (any member). */
    @GET
    @Path("models/{name}/settings")
    ModelSettings modelSettings(@PathParam("slug") String slug, @PathParam("name") String name);

    /**
     * The tenant's invoices and credit notes without lines, newest period first (any member); {@code payment} (null:
     * all) keeps only finalized invoices in that payment state: unpaid (open, partially_paid or overdue), open,
     * partially_paid, overdue, paid, nothing_due or refund_due.
     */
    @GET
    @Path("invoices")
    List<Invoice> invoices(@PathParam("slug") String slug, @QueryParam("payment") String payment);

    /**
     * The open billing period's invoice as it would be if the period ended now (any member): computed on each call,
     * never stored, so it has no id or number and its state is {@code PREVIEW}.
     */
    @GET
    @Path("invoices/upcoming")
    Invoice upcomingInvoice(@PathParam("slug") String slug);

    @GET
    @Path("invoices/{id}")
    Invoice invoice(@PathParam("slug") String slug, @PathParam("id") String id);

    @GET
    @Path("invoices/{id}.csv")
    @Produces("text/csv")
    Response invoiceCsv(@PathParam("slug") String slug, @PathParam("id") String id);

    /** The invoice as a PDF document (application/pdf with Content-Disposition). */
    @GET
    @Path("invoices/{id}.pdf")
    @Produces("application/pdf")
    Response invoicePdf(@PathParam("slug") String slug, @PathParam("id") String id);

    @GET
    @Path("invoices/{id}/lines/{lineNo}/usage")
    LineUsage lineUsage(@PathParam("slug") String slug, @PathParam("id") String id,
            @PathParam("lineNo") int lineNo, @QueryParam("after") String after, @QueryParam("limit") Integer limit);

    /** Who the tenant's invoices are addressed to (any member); every field null when it was never set. */
    @GET
    @Path("billing-profile")
    BillingProfile billingProfile(@PathParam("slug") String slug);

    /**
     * Replaces the billing profile (tenant admins and platform admins; 403 {@code forbidden} for members): invoices
     * created from now on carry it, those already created keep what they carry. A field left out is cleared; 400
     * {@code validation_failed} with violations per field (required: legal name, first address line, city, an ISO
     * 3166-1 alpha-2 country).
     */
    @PUT
    @Path("billing-profile")
    BillingProfile setBillingProfile(@PathParam("slug") String slug, BillingParty body);

    /**
     * Sets the time zone the tenant's billing periods (calendar months) run in (tenant admins and platform admins; 403
     * for members); answers the zone. 400 {@code invalid_time_zone} for what is no IANA zone id, 400
     * {@code validation_failed} for a blank one; 409 {@code time_zone_change_too_early} just after a month ended in UTC
     * while that zone is still in it (its detail says from when the change is taken). The current zone is the plan
     * status's {@code time_zone}.
     */
    @PUT
    @Path("time-zone")
    BillingTimeZone setTimeZone(@PathParam("slug") String slug, BillingTimeZone body);

    /** Credit balances per currency (active grants) and every grant, newest first (any member). */
    @GET
    @Path("credits")
    TenantCredits credits(@PathParam("slug") String slug);

    @GET
    @Path("members")
    List<Member> members(@PathParam("slug") String slug);

    @POST
    @Path("members")
    Member invite(@PathParam("slug") String slug, Invitation body);

    @PATCH
    @Path("members/{id}")
    Member changeRole(@PathParam("slug") String slug, @PathParam("id") UUID id, RoleChange body);

    @DELETE
    @Path("members/{id}")
    void removeMember(@PathParam("slug") String slug, @PathParam("id") UUID id);

    /** The audit log, newest first: action exact or a prefix ending in .*; before = next_before of the last page. */
    @GET
    @Path("audit")
    AuditPage audit(@PathParam("slug") String slug, @QueryParam("action") String action,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("before") Long before,
            @QueryParam("limit") Integer limit);

    /** The whole audit log (or what the action filter keeps) as a CSV download, streamed by platform-api. */
    @GET
    @Path("audit.csv")
    @Produces("text/csv")
    Response auditCsv(@PathParam("slug") String slug, @QueryParam("action") String action);

    /**
     * The webhook's URL, since when, its event types (null: every one) and until when a rotation's previous secret
     * also signs deliveries (null: no overlap running); no secret. 404 {@code webhook_not_found} when none is
     * configured.
     */
    @GET
    @Path("webhook")
    Webhook webhook(@PathParam("slug") String slug);

    /** Sets the webhook's URL with a new signing secret: the only answer that carries the secret. */
    @PUT
    @Path("webhook")
    CreatedWebhook setWebhook(@PathParam("slug") String slug, NewWebhook body);

    /**
     * Chooses the event types the webhook receives (null: every one, those added later too); answers the webhook.
     * 400 {@code validation_failed} with a violation per unknown type ({@code events[i]}) or on {@code events} for an
     * empty or too long list, 404 {@code webhook_not_found} without a webhook.
     */
    @PUT
    @Path("webhook/events")
    Webhook setWebhookEvents(@PathParam("slug") String slug, WebhookEvents body);

    /**
     * Replaces the webhook's signing secret (tenant admins): the only answer that carries the new one, with until when
     * the previous secret also signs deliveries (null when the overlap is 0). 400 {@code validation_failed} for an
     * overlap outside 0 to 604800 seconds, 404 {@code webhook_not_found} without a webhook.
     */
    @POST
    @Path("webhook/secret")
    CreatedWebhook rotateWebhookSecret(@PathParam("slug") String slug, WebhookRotation body);

    /** Removes the webhook (204 also when there was none). */
    @DELETE
    @Path("webhook")
    void removeWebhook(@PathParam("slug") String slug);

    /** Queues a {@code webhook.test} event (202); 409 {@code webhook_not_configured} without a webhook. */
    @POST
    @Path("webhook/test")
    QueuedDelivery testWebhook(@PathParam("slug") String slug);

    /**
     * Sends a delivery's event again (tenant admins, 202): a new delivery of the same event (same event id and body) to
     * the webhook's current URL, whatever event types it receives. 404 {@code delivery_not_found} when it is not one of
     * the tenant's deliveries, 409 {@code delivery_pending} while a delivery of the event is still pending (it is
     * retried by itself), 409 {@code webhook_not_configured} without a webhook.
     */
    @POST
    @Path("webhook/deliveries/{id}/redeliver")
    QueuedDelivery redeliverWebhookDelivery(@PathParam("slug") String slug, @PathParam("id") UUID id);

    /**
     * Sends again every event whose latest delivery was created at or after {@code since} and failed (tenant admins,
     * 202), oldest first, at most 1000 a call ({@code more}: that many were found, call again for the rest). 400
     * {@code invalid_since}, 409 {@code webhook_not_configured} without a webhook.
     */
    @POST
    @Path("webhook/deliveries/redeliver-failed")
    FailedRedelivered redeliverFailedWebhookDeliveries(@PathParam("slug") String slug, FailedRedelivery body);

    /**
     * The latest deliveries to the webhook, newest first; limit 1 to 200; state PENDING, DELIVERED or FAILED keeps only
     * those (null: every state; anything else 400 {@code invalid_state}).
     */
    @GET
    @Path("webhook/deliveries")
    List<WebhookDelivery> webhookDeliveries(@PathParam("slug") String slug, @QueryParam("limit") Integer limit,
            @QueryParam("state") String state);
}
