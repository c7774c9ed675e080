package io.aiaas.console.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Stands in for platform-api in the console's cheap page tests: a WireMock server the console's REST clients call.
 * Tests stub the answers they need ({@link #me}, a tenant suspended with a note {@link #suspendedByOperator},
 * {@link #json}, {@link #problem}, {@link #invalid}, the sign-up
 * answers {@link #signup} and {@link #signupSettings}, a tenant's webhook {@link #webhook} with its
 * {@link #webhookDeliveries} and the event types' catalogue {@link #webhookEventTypes}, closing a tenant {@link #close} and the refusal of any change to a closed one
 * {@link #tenantClosed}, a credit grant's JSON {@link #creditGrant}, an invoice's payment {@link #payment} or its
 * ledger {@link #ledger} of {@link #entry} objects, a party to
 * an invoice {@link #billingParty}, a tenant's billing profile {@link #billingProfile}, one currency's receivables
 * {@link #receivablesCurrency} and a tenant's unpaid invoices {@link #unpaidInvoices} and those with a refund due
 * {@link #refundDueInvoices}) and read
 * back what the console sent ({@code server.verify(...)}). The browser tests in deploy/local use the real platform-api;
 * this is only for fast HTML assertions. Fields annotated {@link Server} receive the WireMock server.
 */
public class PlatformApiStub implements QuarkusTestResourceLifecycleManager {

    /** Marks a {@code WireMockServer} field of a test to receive the stub. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Server {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        String url = "http://localhost:" + server.port();
        return Map.of("quarkus.rest-client.platform-api.url", url, "aiaas.console.api-url", url);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(Server.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * Stubs {@code GET /api/v1/me}: the person (e-mail verified), whether a platform admin, and memberships as
     * "slug:role" pairs, or "slug:role:status" for a tenant that is not active (suspended, closed), or
     * "slug:role:suspended:non_payment" for one platform-api suspended for not paying.
     */
    public static void me(WireMockServer server, String email, boolean platformAdmin, String... memberships) {
        me(server, email, true, platformAdmin, memberships);
    }

    /** As {@link #me(WireMockServer, String, boolean, String...)}, saying whether the e-mail is verified. */
    public static void me(WireMockServer server, String email, boolean verified, boolean platformAdmin,
            String... memberships) {
        StringBuilder tenants = new StringBuilder();
        for (String m : memberships) {
            String[] parts = m.split(":");
            if (!tenants.isEmpty()) {
                tenants.append(',');
            }
            tenants.append("{\"slug\":\"").append(parts[0]).append("\",\"name\":\"").append(parts[0].toUpperCase())
                    .append(" Inc\",\"role\":\"").append(parts[1]).append("\",\"status\":\"")
                    .append(parts.length > 2 ? parts[2] : "active").append('"')
                    .append(parts.length > 3 ? ",\"suspended_reason\":\"" + parts[3] + "\"" : "").append('}');
        }
        json(server, get(urlPathEqualTo("/api/v1/me")), 200, "{\"subject\":\"sub-" + email + "\",\"email\":\"" + email
                + "\",\"email_verified\":" + verified + ",\"username\":\"" + email.split("@")[0] + "\",\"platform_admin\":" + platformAdmin
                + ",\"tenants\":[" + tenants + "]}");
    }

    /**
     * Stubs {@code GET /api/v1/me} for a person (e-mail verified, not a platform admin) whose one tenant a platform
     * admin suspended, with the note it was told ({@code suspension_note}; null leaves it out, as platform-api does).
     */
    public static void suspendedByOperator(WireMockServer server, String email, String slug, String role,
            String note) {
        json(server, get(urlPathEqualTo("/api/v1/me")), 200, "{\"subject\":\"sub-" + email + "\",\"email\":\"" + email
                + "\",\"email_verified\":true,\"username\":\"" + email.split("@")[0] + "\",\"platform_admin\":false,"
                + "\"tenants\":[{\"slug\":" + quoted(slug) + ",\"name\":" + quoted(slug.toUpperCase() + " Inc")
                + ",\"role\":" + quoted(role) + ",\"status\":\"suspended\""
                + (note == null ? "" : ",\"suspension_note\":" + quoted(note)) + "}]}");
    }

    /**
     * Stubs {@code GET /api/v1/signup} as the signed-in person sees it: open or not, the sign-up plan's name (null when
     * closed), the per-person limit and how many tenants this person created already.
     */
    public static void signup(WireMockServer server, boolean open, String planName, int max, int created) {
        json(server, get(urlPathEqualTo("/api/v1/signup")), 200, "{\"open\":" + open + ",\"plan_name\":"
                + quoted(planName) + ",\"max_tenants_per_person\":" + max + ",\"tenants_created\":" + created + "}");
    }

    /**
     * Stubs {@code GET /admin/v1/signup}: the sign-up plan (null: closed), whether that plan is archived, and the
     * per-person limit; open as platform-api derives it (a plan chosen and not archived).
     */
    public static void signupSettings(WireMockServer server, String planId, String planName, boolean planArchived,
            int max) {
        boolean open = planId != null && !planArchived;
        json(server, get(urlPathEqualTo("/admin/v1/signup")), 200, "{\"open\":" + open + ",\"plan_id\":"
                + quoted(planId) + ",\"plan_name\":" + quoted(planName) + ",\"plan_archived\":" + planArchived
                + ",\"max_tenants_per_person\":" + max + ",\"updated_at\":\"2026-11-30T16:00:00Z\","
                + "\"updated_by\":\"admin@aiaas.test\"}");
    }

    /**
     * Stubs {@code GET /api/v1/tenants/{slug}/webhook}: the URL and when it was set (ISO-8601), as platform-api answers
     * it (never the secret); a null URL stubs 404 {@code webhook_not_found}, the answer when none is configured.
     */
    public static void webhook(WireMockServer server, String slug, String url, String createdAt) {
        var request = get(urlPathEqualTo("/api/v1/tenants/" + slug + "/webhook"));
        if (url == null) {
            problem(server, request, 404, "webhook_not_found", "Tenant '" + slug + "' has no webhook");
        } else {
            json(server, request, 200, "{\"url\":" + quoted(url) + ",\"created_at\":" + quoted(createdAt) + "}");
        }
    }

    /**
     * As {@link #webhook(WireMockServer, String, String, String)} with the webhook's {@code events} as platform-api
     * answers them: the JSON given ({@code ["invoice.paid"]}, or {@code null} for every event type).
     */
    public static void webhook(WireMockServer server, String slug, String url, String createdAt, String events) {
        json(server, get(urlPathEqualTo("/api/v1/tenants/" + slug + "/webhook")), 200, "{\"url\":" + quoted(url)
                + ",\"created_at\":" + quoted(createdAt) + ",\"events\":" + events + "}");
    }

    /**
     * Stubs {@code POST /api/v1/tenants/{slug}/close} as platform-api answers a closing: the tenant, status closed,
     * closed at that instant (ISO-8601).
     */
    public static void close(WireMockServer server, String slug, String closedAt) {
        json(server, post(urlPathEqualTo("/api/v1/tenants/" + slug + "/close")), 200, "{\"id\":"
                + "\"11111111-1111-1111-1111-111111111111\",\"slug\":" + quoted(slug) + ",\"name\":"
                + quoted(slug.toUpperCase() + " Inc") + ",\"status\":\"closed\",\"time_zone\":\"UTC\","
                + "\"plan\":null,\"next_plan\":null,\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"updated_at\":" + quoted(closedAt) + ",\"signed_up_by\":null,\"closed_at\":" + quoted(closedAt)
                + "}");
    }

    /**
     * Stubs a 409 {@code tenant_closed} problem, platform-api's answer to any change of a closed tenant, for that
     * request.
     */
    public static void tenantClosed(WireMockServer server, MappingBuilder request, String slug) {
        problem(server, request, 409, "tenant_closed", "Tenant '" + slug + "' is closed; its invoices, usage and"
                + " audit log stay readable, but nothing of it can change");
    }

    /**
     * A credit grant's JSON as platform-api shows it: amounts as decimals of the currency (nano-units derived), times
     * ISO-8601 or null; {@code voided_at} is set for state voided, {@code granted_by} may be null (the tenant API).
     */
    public static String creditGrant(String id, String tenant, String currency, String amount, String remaining,
            String reason, String state, String expiresAt, String grantedBy) {
        return "{\"id\":" + quoted(id) + ",\"tenant\":" + quoted(tenant) + ",\"currency\":" + quoted(currency)
                + ",\"amount_nanos\":" + nanos(amount) + ",\"amount\":" + quoted(amount) + ",\"remaining_nanos\":"
                + nanos(remaining) + ",\"remaining\":" + quoted(remaining) + ",\"reason\":" + quoted(reason)
                + ",\"state\":" + quoted(state) + ",\"created_at\":\"2026-10-15T09:30:00Z\",\"expires_at\":"
                + quoted(expiresAt) + ",\"voided_at\":" + quoted("voided".equals(state) ? "2026-11-02T08:00:00Z" : null)
                + ",\"granted_by\":" + quoted(grantedBy) + "}";
    }

    /**
     * An invoice's {@code "payment"} member as platform-api adds it to a finalized invoice (to put among its fields):
     * the status (open, overdue, paid, nothing_due), what is left to pay as a decimal of a two-decimal currency (minor
     * units derived), when it is due (ISO-8601), and for a paid one the day, the amount it settled and the reference
     * (null otherwise, as platform-api writes them).
     */
    public static String payment(String status, String amountDue, String dueAt, String paidAt, String paid,
            String reference) {
        return "\"payment\":{\"status\":" + quoted(status) + ",\"amount_due_minor\":" + minor(amountDue)
                + ",\"amount_due\":" + quoted(amountDue) + ",\"due_at\":" + quoted(dueAt) + ",\"paid_at\":"
                + quoted(paidAt) + ",\"paid_minor\":" + (paid == null ? "null" : minor(paid)) + ",\"paid\":"
                + quoted(paid) + ",\"reference\":" + quoted(reference) + "}";
    }

    /**
     * An invoice's {@code "payment"} member with a ledger, as platform-api writes it since payments are a ledger:
     * fields without a value left out. Amounts are decimals of a two-decimal currency (minor units derived); null
     * leaves the field out. {@code entries} are {@link #entry} objects, in the order recorded.
     */
    public static String ledger(String status, String amountDue, String dueAt, String paidAt, String paid,
            String reference, String refunded, String refundDue, String... entries) {
        StringBuilder json = new StringBuilder("\"payment\":{\"status\":" + quoted(status) + ",\"amount_due_minor\":"
                + minor(amountDue) + ",\"amount_due\":" + quoted(amountDue) + ",\"due_at\":" + quoted(dueAt));
        if (paid != null) {
            json.append(",\"paid_at\":").append(quoted(paidAt)).append(",\"paid_minor\":").append(minor(paid))
                    .append(",\"paid\":").append(quoted(paid)).append(",\"reference\":").append(quoted(reference));
        }
        if (refunded != null) {
            json.append(",\"refunded_minor\":").append(minor(refunded)).append(",\"refunded\":")
                    .append(quoted(refunded));
        }
        if (refundDue != null) {
            json.append(",\"refund_due_minor\":").append(minor(refundDue)).append(",\"refund_due\":")
                    .append(quoted(refundDue));
        }
        if (entries.length > 0) {
            json.append(",\"entries\":[").append(String.join(",", entries)).append(']');
        }
        return json.append('}').toString();
    }

    /** One entry of a ledger: its id, kind (payment, refund), amount (a two-decimal decimal), when and reference. */
    public static String entry(String id, String kind, String amount, String at, String reference,
            String recordedAt) {
        return "{\"id\":" + quoted(id) + ",\"kind\":" + quoted(kind) + ",\"amount_minor\":" + minor(amount)
                + ",\"amount\":" + quoted(amount) + ",\"at\":" + quoted(at) + ",\"reference\":" + quoted(reference)
                + ",\"recorded_at\":" + quoted(recordedAt) + "}";
    }

    /**
     * One currency's entry of {@code GET /admin/v1/billing/receivables} as platform-api writes it, with nothing
     * refunded and no refund due: the count of finalized invoices, invoiced, credited (negative), paid, outstanding
     * with its count and overdue with its count, each a decimal of a two-decimal currency with its minor units derived.
     */
    public static String receivablesCurrency(String currency, int invoices, String invoiced, String credited,
            String paid, int outstandingInvoices, String outstanding, int overdueInvoices, String overdue) {
        return receivablesCurrency(currency, invoices, invoiced, credited, paid, "0.00", outstandingInvoices,
                outstanding, overdueInvoices, overdue, 0, "0.00");
    }

    /**
     * As {@link #receivablesCurrency(String, int, String, String, String, int, String, int, String)}, with what was
     * refunded and the refund due with its count.
     */
    public static String receivablesCurrency(String currency, int invoices, String invoiced, String credited,
            String paid, String refunded, int outstandingInvoices, String outstanding, int overdueInvoices,
            String overdue, int refundDueInvoices, String refundDue) {
        return "{\"currency\":" + quoted(currency) + ",\"invoices\":" + invoices + ",\"invoiced_minor\":"
                + minor(invoiced) + ",\"invoiced\":" + quoted(invoiced) + ",\"credited_minor\":" + minor(credited)
                + ",\"credited\":" + quoted(credited) + ",\"paid_minor\":" + minor(paid) + ",\"paid\":" + quoted(paid)
                + ",\"refunded_minor\":" + minor(refunded) + ",\"refunded\":" + quoted(refunded)
                + ",\"outstanding_invoices\":" + outstandingInvoices + ",\"outstanding_minor\":" + minor(outstanding)
                + ",\"outstanding\":" + quoted(outstanding) + ",\"overdue_invoices\":" + overdueInvoices
                + ",\"overdue_minor\":" + minor(overdue) + ",\"overdue\":" + quoted(overdue)
                + ",\"refund_due_invoices\":" + refundDueInvoices + ",\"refund_due_minor\":" + minor(refundDue)
                + ",\"refund_due\":" + quoted(refundDue) + "}";
    }

    private static long minor(String decimal) {
        return new java.math.BigDecimal(decimal).movePointRight(2).longValueExact();
    }

    private static long nanos(String decimal) {
        return new java.math.BigDecimal(decimal).movePointRight(9).longValueExact();
    }

    /**
     * A party to an invoice as platform-api writes it ({@code bill_to}, {@code issuer}, and the fields of a billing
     * profile): snake_case, null fields left out.
     */
    public static String billingParty(String legalName, String addressLine1, String addressLine2, String city,
            String postalCode, String region, String country, String taxId, String email) {
        String[] names = {"legal_name", "address_line1", "address_line2", "city", "postal_code", "region", "country",
            "tax_id", "email"};
        String[] values = {legalName, addressLine1, addressLine2, city, postalCode, region, country, taxId, email};
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                json.append(json.length() > 1 ? "," : "").append('"').append(names[i]).append("\":")
                        .append(quoted(values[i]));
            }
        }
        return json.append('}').toString();
    }

    /**
     * Stubs {@code GET /api/v1/tenants/{slug}/billing-profile}: the party's fields ({@link #billingParty}) with when
     * and by whom it was last changed; a null party stubs {@code {}}, the answer for a profile never set.
     */
    public static void billingProfile(WireMockServer server, String slug, String party, String updatedAt,
            String updatedBy) {
        String body = party == null ? "{}" : party.substring(0, party.length() - 1) + ",\"updated_at\":"
                + quoted(updatedAt) + ",\"updated_by\":" + quoted(updatedBy) + "}";
        json(server, get(urlPathEqualTo("/api/v1/tenants/" + slug + "/billing-profile")), 200, body);
    }

    /**
     * Stubs {@code GET /api/v1/tenants/{slug}/invoices?payment=unpaid} with these invoices' JSON (finalized, open,
     * partially paid or overdue, each with its {@link #payment}), and {@code ?payment=refund_due} with none (the
     * overview asks both; {@link #refundDueInvoices} after this stubs some); the list without a filter is not stubbed by
     * it.
     */
    public static void unpaidInvoices(WireMockServer server, String slug, String... invoices) {
        json(server, get(urlPathEqualTo("/api/v1/tenants/" + slug + "/invoices"))
                .withQueryParam("payment", equalTo("unpaid")), 200, "[" + String.join(",", invoices) + "]");
        refundDueInvoices(server, slug);
    }

    /** Stubs {@code GET /api/v1/tenants/{slug}/invoices?payment=refund_due} with these invoices' JSON. */
    public static void refundDueInvoices(WireMockServer server, String slug, String... invoices) {
        json(server, get(urlPathEqualTo("/api/v1/tenants/" + slug + "/invoices"))
                .withQueryParam("payment", equalTo("refund_due")), 200, "[" + String.join(",", invoices) + "]");
    }

    /**
     * The 15 event types platform-api's {@code GET /api/v1/webhook-event-types} lists today, in its order, as JSON
     * objects {@code {"type", "description"}} (no brackets, to add to).
     */
    public static final String WEBHOOK_EVENT_TYPES = String.join(",",
            eventType("quota.threshold_reached", "80% and 100% of a quota"),
            eventType("budget.threshold_reached", "80% and 100% of the budget"),
            eventType("key_budget.threshold_reached", "80% and 100% of a key's monthly budget"),
            eventType("invoice.finalized", "an invoice or credit note became final"),
            eventType("invoice.paid", "a payment settled the invoice: nothing is left to pay"),
            eventType("invoice.payment_received",
                    "a payment was recorded and part of the invoice is still to be paid"),
            eventType("invoice.refunded",
                    "money you paid beyond what the invoice asks after a credit note was sent back"),
            eventType("invoice.overdue", "something left to pay after its terms, once"),
            eventType("tenant.suspended",
                    "your keys stopped, for an invoice unpaid past its grace or by a platform admin"),
            eventType("tenant.resumed", "your keys work again"),
            eventType("model_version.deprecated", "a version you may call is retired at a date"),
            eventType("model_version.deprecation_cancelled", "a version's retirement is called off"),
            eventType("model.access_granted", "a private model shared with you"),
            eventType("model.access_revoked", "a private model no longer shared with you"),
            eventType("api_key.expiring", "one of your keys stops working within a week, once per key"));

    /** One entry of {@code GET /api/v1/webhook-event-types}. */
    public static String eventType(String type, String description) {
        return "{\"type\":" + quoted(type) + ",\"description\":" + quoted(description) + "}";
    }

    /** Stubs {@code GET /api/v1/webhook-event-types} with the types platform-api lists today. */
    public static void webhookEventTypes(WireMockServer server) {
        webhookEventTypes(server, "[" + WEBHOOK_EVENT_TYPES + "]");
    }

    /** Stubs {@code GET /api/v1/webhook-event-types} with a JSON array of {@link #eventType} objects. */
    public static void webhookEventTypes(WireMockServer server, String types) {
        json(server, get(urlPathEqualTo("/api/v1/webhook-event-types")), 200, types);
    }

    /** Stubs {@code GET /api/v1/tenants/{slug}/webhook/deliveries} with a JSON array, newest first. */
    public static void webhookDeliveries(WireMockServer server, String slug, String deliveries) {
        json(server, get(urlPathEqualTo("/api/v1/tenants/" + slug + "/webhook/deliveries")), 200, deliveries);
    }

    /** Stubs a 400 validation_failed problem with violations given as field, message, field, message... */
    public static void invalid(WireMockServer server, MappingBuilder request, String detail,
            String... fieldsAndMessages) {
        StringBuilder violations = new StringBuilder();
        for (int i = 0; i + 1 < fieldsAndMessages.length; i += 2) {
            if (!violations.isEmpty()) {
                violations.append(',');
            }
            violations.append("{\"field\":").append(quoted(fieldsAndMessages[i])).append(",\"message\":")
                    .append(quoted(fieldsAndMessages[i + 1])).append('}');
        }
        server.stubFor(request.willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                        + "\"code\":\"validation_failed\",\"detail\":" + quoted(detail) + ",\"violations\":["
                        + violations + "]}")));
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Stubs a JSON answer. */
    public static void json(WireMockServer server, MappingBuilder request, int status, String body) {
        server.stubFor(request.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    /** Stubs a problem+json answer as platform-api gives it. */
    public static void problem(WireMockServer server, MappingBuilder request, int status, String code, String detail) {
        server.stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"about:blank\",\"title\":\"Problem\",\"status\":" + status + ",\"code\":"
                        + quoted(code) + ",\"detail\":" + quoted(detail) + "}")));
    }
}
