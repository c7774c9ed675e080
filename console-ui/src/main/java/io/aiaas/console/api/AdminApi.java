package io.aiaas.console.api;

import io.aiaas.console.api.admin.CloseReport;
import io.aiaas.console.api.admin.CostTotals;
import io.aiaas.console.api.admin.CreatedEnrolmentToken;
import io.aiaas.console.api.admin.CreditNoteRequest;
import io.aiaas.console.api.admin.EnrolmentToken;
import io.aiaas.console.api.admin.GrantCreditRequest;
import io.aiaas.console.api.admin.Member;
import io.aiaas.console.api.admin.ModelChange;
import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.ModelSummary;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.NewEnrolmentToken;
import io.aiaas.console.api.admin.NewModel;
import io.aiaas.console.api.admin.NewTaxRate;
import io.aiaas.console.api.admin.NewTenant;
import io.aiaas.console.api.admin.PaymentRequest;
import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.PlanChange;
import io.aiaas.console.api.admin.PlanSpec;
import io.aiaas.console.api.admin.Receivables;
import io.aiaas.console.api.admin.RefundRequest;
import io.aiaas.console.api.admin.RolloutRequest;
import io.aiaas.console.api.admin.SelfServiceChange;
import io.aiaas.console.api.admin.SignupChange;
import io.aiaas.console.api.admin.SignupSettings;
import io.aiaas.console.api.admin.SunsetRequest;
import io.aiaas.console.api.admin.TaxRate;
import io.aiaas.console.api.admin.TaxRates;
import io.aiaas.console.api.admin.TaxTreatment;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.api.admin.TenantChange;
import io.aiaas.console.api.admin.UsageRetention;
import io.aiaas.console.api.admin.UsageTotals;
import io.aiaas.console.api.admin.Worker;
import io.aiaas.console.api.admin.WorkerIdentity;
import io.aiaas.console.api.tenant.AuditPage;
import io.aiaas.console.api.tenant.CreditGrant;
import io.aiaas.console.api.tenant.Invoice;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * platform-api's admin API (tenants, plans, self-service sign-up, billing, credit grants, tax rates and tenants' tax
 * treatment, models and the tenants they are shared with, workers with their enrolment tokens and identities, the
 * retention of raw usage rows, the audit log of every tenant and of the platform) and the tenant usage totals the
 * tenant page shows, called with the signed-in platform admin's token; the API enforces the role on every call. See
 * docs/platform-api.md.
 */
@RegisterRestClient(configKey = "platform-api")
@RegisterClientHeaders(BearerToken.class)
@RegisterProvider(ProblemMapper.class)
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public interface AdminApi {

    // --- tenants ---

    /** Every tenant, sorted by slug. */
    @GET
    @Path("admin/v1/tenants")
    List<Tenant> tenants();

    /**
     * One page of tenants, sorted by slug: those with that status ({@code active}, {@code suspended} or
     * {@code closed}), whose slug or name contains {@code q} (any case, at most 100 characters), whose slug sorts
     * after {@code after}, at most {@code limit} (1 to 1000) of them; a page shorter than the limit is the last one.
     * Each parameter left null is not sent. 400 {@code invalid_parameter} for a value it does not take.
     */
    @GET
    @Path("admin/v1/tenants")
    List<Tenant> tenantPage(@RestQuery String status, @RestQuery String q, @RestQuery String after,
            @RestQuery Integer limit);

    @POST
    @Path("admin/v1/tenants")
    @Consumes(MediaType.APPLICATION_JSON)
    Tenant createTenant(NewTenant body);

    @GET
    @Path("admin/v1/tenants/{slug}")
    Tenant tenant(@RestPath String slug);

    @PATCH
    @Path("admin/v1/tenants/{slug}")
    @Consumes(MediaType.APPLICATION_JSON)
    Tenant updateTenant(@RestPath String slug, TenantChange body);

    @GET
    @Path("admin/v1/tenants/{slug}/plans")
    List<PlanChange> planHistory(@RestPath String slug);

    @GET
    @Path("admin/v1/tenants/{slug}/members")
    List<Member> members(@RestPath String slug);

    /** Usage of a tenant (platform admins may read every tenant's). */
    @GET
    @Path("api/v1/tenants/{slug}/usage")
    UsageTotals usage(@RestPath String slug, @RestQuery String start, @RestQuery String end,
            @RestQuery("bucket_width") String bucketWidth);

    @GET
    @Path("api/v1/tenants/{slug}/costs")
    CostTotals costs(@RestPath String slug, @RestQuery String start, @RestQuery String end,
            @RestQuery("bucket_width") String bucketWidth);

    /**
     * Where the retention of raw usage rows stands: the setting, the first instant kept and the months removed
     * (platform admins).
     */
    @GET
    @Path("admin/v1/usage/retention")
    UsageRetention usageRetention();

    // --- plans ---

    @GET
    @Path("admin/v1/plans")
    List<Plan> plans();

    @GET
    @Path("admin/v1/plans/{id}")
    Plan plan(@RestPath String id);

    @POST
    @Path("admin/v1/plans")
    @Consumes(MediaType.APPLICATION_JSON)
    Plan createPlan(PlanSpec body);

    @PUT
    @Path("admin/v1/plans/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Plan replacePlan(@RestPath String id, PlanSpec body);

    @POST
    @Path("admin/v1/plans/{id}/archive")
    Plan archivePlan(@RestPath String id);

    @POST
    @Path("admin/v1/plans/{id}/restore")
    Plan restorePlan(@RestPath String id);

    /** Offers the plan to tenant admins to choose themselves, or withdraws it (tenants on it stay). */
    @PUT
    @Path("admin/v1/plans/{id}/self-service")
    @Consumes(MediaType.APPLICATION_JSON)
    Plan replaceSelfService(@RestPath String id, SelfServiceChange body);

    // --- self-service sign-up ---

    @GET
    @Path("admin/v1/signup")
    SignupSettings signup();

    @PUT
    @Path("admin/v1/signup")
    @Consumes(MediaType.APPLICATION_JSON)
    SignupSettings replaceSignup(SignupChange body);

    // --- billing ---

    /**
     * Closes a period ({@code YYYY-MM}) for every tenant whose period has ended: an invoice each, finalized, or drafts
     * when {@code draft} is "true" (null: not sent). Closing again creates nothing new.
     */
    @POST
    @Path("admin/v1/billing/close")
    CloseReport closePeriod(@RestQuery String period, @RestQuery String draft);

    /**
     * What tenants owe, per currency, over the finalized invoices of a period ({@code YYYY-MM}; null: not sent, every
     * period). 400 {@code invalid_parameter} for a period that is not one.
     */
    @GET
    @Path("admin/v1/billing/receivables")
    Receivables receivables(@RestQuery String period);

    /**
     * Invoices and credit notes of all tenants, or of one (slug) or one period ({@code YYYY-MM}); without lines. With
     * {@code payment} (unpaid = open, partially_paid or overdue; open, partially_paid, overdue, paid, nothing_due,
     * refund_due), only finalized invoices in that payment state.
     */
    @GET
    @Path("admin/v1/invoices")
    List<Invoice> invoices(@RestQuery String tenant, @RestQuery String period, @RestQuery String payment);

    /** One invoice or credit note with its lines. */
    @GET
    @Path("admin/v1/invoices/{id}")
    Invoice invoice(@RestPath String id);

    @POST
    @Path("admin/v1/invoices/{id}/finalize")
    Invoice finalizeInvoice(@RestPath String id);

    @POST
    @Path("admin/v1/invoices/{id}/void")
    Invoice voidInvoice(@RestPath String id);

    /** Issues a credit note against a finalized invoice (201): the credit note, finalized. */
    @POST
    @Path("admin/v1/invoices/{id}/credit-notes")
    @Consumes(MediaType.APPLICATION_JSON)
    Invoice creditNote(@RestPath String id, CreditNoteRequest body);

    /**
     * Records a payment of a finalized invoice (the amount, or all that is left to pay): the invoice, its payment now
     * {@code paid} or, with something left, {@code partially_paid} or {@code overdue}. 404 {@code invoice_not_found};
     * 409 {@code invoice_not_finalized}, {@code nothing_due}, {@code invoice_paid}, {@code payment_exceeds_balance};
     * 400 {@code validation_failed}, {@code invalid_paid_at}.
     */
    @POST
    @Path("admin/v1/invoices/{id}/payments")
    @Consumes(MediaType.APPLICATION_JSON)
    Invoice recordPayment(@RestPath String id, PaymentRequest body);

    /**
     * Records a refund of what the tenant paid beyond what the invoice now asks (the amount, or all that is owed back):
     * the invoice. 404 {@code invoice_not_found}; 409 {@code invoice_not_finalized}, {@code nothing_to_refund},
     * {@code refund_exceeds_balance}; 400 {@code validation_failed}, {@code invalid_refunded_at}.
     */
    @POST
    @Path("admin/v1/invoices/{id}/refunds")
    @Consumes(MediaType.APPLICATION_JSON)
    Invoice recordRefund(@RestPath String id, RefundRequest body);

    /**
     * Removes one entry of the invoice's ledger, a payment or a refund recorded by mistake (a bounced transfer): the
     * invoice as it stands without it. 404 {@code invoice_not_found}, {@code payment_not_found}.
     */
    @DELETE
    @Path("admin/v1/invoices/{id}/payments/{entryId}")
    Invoice removePaymentEntry(@RestPath String id, @RestPath String entryId);

    // --- credit grants ---

    /**
     * Gives a tenant credit (201: the grant). 400 {@code validation_failed}, {@code unknown_tenant}; 409
     * {@code tenant_closed}, {@code credit_limit}.
     */
    @POST
    @Path("admin/v1/credits")
    @Consumes(MediaType.APPLICATION_JSON)
    CreditGrant grantCredit(GrantCreditRequest body);

    /** A tenant's grants (slug; null: every tenant's), newest first; 404 {@code tenant_not_found}. */
    @GET
    @Path("admin/v1/credits")
    List<CreditGrant> credits(@RestQuery String tenant);

    /** Forfeits what is left of a grant; 404 {@code credit_grant_not_found}, 409 {@code credit_grant_void}. */
    @POST
    @Path("admin/v1/credits/{id}/void")
    CreditGrant voidCredit(@RestPath String id);

    // --- taxes ---

    /** Every tax rate, by country, region (the whole country first) and the day it takes effect, newest first. */
    @GET
    @Path("admin/v1/tax-rates")
    TaxRates taxRates();

    /**
     * Adds a tax rate (201). 400 {@code validation_failed} (country, region, name, rate, effective_from),
     * {@code invalid_tax_rate} (not a percent from 0 to 100 with at most 4 decimals); 409 {@code tax_rate_exists} (one
     * of that country and region already takes effect that day).
     */
    @POST
    @Path("admin/v1/tax-rates")
    @Consumes(MediaType.APPLICATION_JSON)
    TaxRate createTaxRate(NewTaxRate body);

    /**
     * Deletes a rate that takes effect in the future, a scheduled change (204); 409 {@code tax_rate_in_effect} once it
     * took effect (history stays), 404 {@code tax_rate_not_found}.
     */
    @DELETE
    @Path("admin/v1/tax-rates/{id}")
    void deleteTaxRate(@RestPath UUID id);

    /** A tenant's tax treatment; 404 {@code tenant_not_found}. */
    @GET
    @Path("admin/v1/tenants/{slug}/tax")
    TaxTreatment taxTreatment(@RestPath String slug);

    /**
     * Replaces a tenant's tax treatment; 400 {@code validation_failed} (treatment, note), 404
     * {@code tenant_not_found}.
     */
    @PUT
    @Path("admin/v1/tenants/{slug}/tax")
    @Consumes(MediaType.APPLICATION_JSON)
    TaxTreatment replaceTaxTreatment(@RestPath String slug, TaxTreatment body);

    // --- models ---

    @GET
    @Path("admin/v1/models")
    List<ModelSummary> models();

    @GET
    @Path("admin/v1/models/{name}")
    ModelDetail model(@RestPath String name);

    @POST
    @Path("admin/v1/models")
    @Consumes(MediaType.APPLICATION_JSON)
    ModelDetail createModel(NewModel body);

    @PATCH
    @Path("admin/v1/models/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    ModelDetail updateModel(@RestPath String name, ModelChange body);

    /**
     * Replaces the model's rollout (a null field is left out; {@link RolloutRequest#NONE} clears it); 400
     * {@code invalid_rollout}, {@code validation_failed}; 404 {@code model_not_found}, {@code version_not_found}; 409
     * {@code version_retired}.
     */
    @PUT
    @Path("admin/v1/models/{name}/rollout")
    @Consumes(MediaType.APPLICATION_JSON)
    ModelDetail setRollout(@RestPath String name, RolloutRequest body);

    /**
     * Uploads a new version: the body is streamed to platform-api as it arrives (the REST client sends an InputStream
     * entity in chunks, not from one buffer), with its length when the browser declared one.
     */
    @POST
    @Path("admin/v1/models/{name}/versions")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    ModelVersion upload(@RestPath String name, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength);

    @DELETE
    @Path("admin/v1/models/{name}/versions/{version}")
    void retire(@RestPath String name, @RestPath int version);

    /**
     * Schedules (or changes) the version's sunset and answers the version with its {@code deprecation}; 400
     * {@code invalid_sunset}, {@code invalid_successor}; 404 {@code model_not_found}, {@code version_not_found}; 409
     * {@code version_retired}.
     */
    @PUT
    @Path("admin/v1/models/{name}/versions/{version}/sunset")
    @Consumes(MediaType.APPLICATION_JSON)
    ModelVersion setSunset(@RestPath String name, @RestPath int version, SunsetRequest body);

    /** Cancels the version's sunset (204 also when it had none); 404 as above, 409 {@code version_retired}. */
    @DELETE
    @Path("admin/v1/models/{name}/versions/{version}/sunset")
    void cancelSunset(@RestPath String name, @RestPath int version);

    /**
     * Shares the model with a tenant (no body; granting again is no error and keeps the first {@code granted_at}) and
     * answers the whole model card; 400 {@code invalid_grant} (the tenant owns the model, or is closed); 404
     * {@code model_not_found}, {@code tenant_not_found}.
     */
    @PUT
    @Path("admin/v1/models/{name}/grants/{slug}")
    ModelDetail grant(@RestPath String name, @RestPath String slug);

    /** Stops sharing the model with a tenant (204 also when it was not shared); 404 as above. */
    @DELETE
    @Path("admin/v1/models/{name}/grants/{slug}")
    void revokeGrant(@RestPath String name, @RestPath String slug);

    @DELETE
    @Path("admin/v1/models/{name}")
    void deleteModel(@RestPath String name);

    // --- workers ---

    @GET
    @Path("admin/v1/workers")
    List<Worker> workers();

    /** The enrolment tokens, newest first, without their secrets. */
    @GET
    @Path("admin/v1/workers/enrolment-tokens")
    List<EnrolmentToken> enrolmentTokens();

    /**
     * Creates an enrolment token (201): the only answer that shows the token. 400 {@code validation_failed} (name,
     * uses, expires_in_seconds) or {@code invalid_expiry} (longer than the server's maximum, 30 days by default).
     */
    @POST
    @Path("admin/v1/workers/enrolment-tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    CreatedEnrolmentToken createEnrolmentToken(NewEnrolmentToken body);

    /** Revokes an enrolment token (204, again too); 404 {@code enrolment_token_not_found}. */
    @DELETE
    @Path("admin/v1/workers/enrolment-tokens/{id}")
    void revokeEnrolmentToken(@RestPath UUID id);

    /** The enrolled worker identities with their keys, newest first. */
    @GET
    @Path("admin/v1/workers/identities")
    List<WorkerIdentity> workerIdentities();

    /**
     * Revokes a worker identity (204): its tokens are refused from now on and its worker row is deleted; 404
     * {@code worker_identity_not_found}.
     */
    @DELETE
    @Path("admin/v1/workers/identities/{id}")
    void revokeWorkerIdentity(@RestPath UUID id);

    // --- audit ---

    /**
     * The audit log of every tenant and of the platform, newest first: of one tenant (slug), of an action (exact or a
     * prefix ending in .*); before = next_before of the last page; limit 1 to 500. Each parameter left null is not
     * sent. 400 {@code invalid_parameter}; 404 {@code tenant_not_found}.
     */
    @GET
    @Path("admin/v1/audit")
    AuditPage audit(@RestQuery String tenant, @RestQuery String action, @RestQuery String since,
            @RestQuery String until, @RestQuery Long before, @RestQuery Integer limit);

    /** The whole log (or what the filters keep) as a CSV download, streamed by platform-api; the same 400 and 404. */
    @GET
    @Path("admin/v1/audit.csv")
    @Produces("text/csv")
    Response auditCsv(@RestQuery String tenant, @RestQuery String action);
}
