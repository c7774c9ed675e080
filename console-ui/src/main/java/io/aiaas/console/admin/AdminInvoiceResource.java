package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.CreditNoteRequest;
import io.aiaas.console.api.admin.PaymentRequest;
import io.aiaas.console.api.admin.RefundRequest;
import io.aiaas.console.api.tenant.Invoice;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Formats;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The admin page of one invoice or credit note with its lines, where a draft is finalized or voided, a finalized
 * invoice is corrected by a credit note, and its payments are recorded: a payment of all that is left or of part of
 * it, a refund of what the tenant paid beyond what the invoice now asks, and the removal of a ledger entry recorded by
 * mistake. Platform admins only; platform-api enforces it too and decides every rule (which state may change, how much
 * is left to credit, to pay or to refund); its refusals are shown beside the form. The list of all invoices, with the
 * receivables and the close form, is {@link AdminBillingResource}.
 */
@Path("/admin/billing/invoices")
@Produces(MediaType.TEXT_HTML)
public class AdminInvoiceResource {

    static final String FINALIZE = "finalize-draft";
    static final String VOID = "void-draft";
    static final String CREDIT = "credit-note";
    static final String RECORD_PAYMENT = "record-payment";
    static final String RECORD_REFUND = "record-refund";
    /** The removal of a ledger entry (each row has its form; the refusal shows above the ledger). */
    static final String REMOVE_PAYMENT = "remove-payment";
    /** A reason as platform-api takes it: 1 to 1,000 characters. */
    static final int MAX_REASON = 1000;
    /** A payment's or refund's reference as platform-api takes it: 1 to 200 characters. */
    static final int MAX_REFERENCE = 200;

    /** How platform-api's {@code payment_exceeds_balance} names the flag, and the checkbox's label in its place. */
    static final String API_EXCESS_HINT = "send \"excess_as_credit\": true";
    static final String CONSOLE_EXCESS_HINT = "tick \"Keep what exceeds the amount due as the tenant's credit\"";

    /**
     * What a redirected action did, in words; only these keys are accepted from the URL. After a payment, a refund or
     * a removal the notice goes on with where the invoice now stands ({@link #done}).
     */
    private static final Map<String, String> DONE = Map.of(
            "finalized", "Finalized. The invoice never changes now; correct it with a credit note.",
            "voided", "Voided. The draft counts for nothing; closing its period again can make a new invoice.",
            "credited", "Credit note issued. It is final and corrects the invoice it names.",
            "paid", "Payment recorded.",
            "refunded", "Refund recorded.",
            "payment-removed", "Payment removed.",
            "refund-removed", "Refund removed.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance detail(Invoice invoice, Credits credits, String done, String amount,
                String reason, PaymentForm payment, RefundForm refund, FormError error);
    }

    /**
     * The credit notes of a finalized invoice and how much of it is left to credit.
     *
     * @param notes the credit notes correcting it (from its tenant's invoices of its period)
     * @param leftNanos its total less what the credit notes took, in nano-units
     * @param error why the credit notes could not be read, else null
     */
    public record Credits(List<Invoice> notes, long leftNanos, String error) {

        static final Credits NONE = new Credits(List.of(), 0, null);
    }

    /**
     * The record-payment form: empty, or as typed after a refusal.
     *
     * @param reference the operator's reference, e.g. "wire 2026-1187"
     * @param paidOn the day it was paid (YYYY-MM-DD, sent as the start of that day in UTC), "" for now
     * @param amount the amount as typed, a decimal of the invoice's currency, "" for all that is left to pay
     * @param excessAsCredit whether "keep what exceeds the amount due as the tenant's credit" is ticked (sent as
     *        {@code "excess_as_credit": true}; unticked, nothing is sent)
     */
    public record PaymentForm(String reference, String paidOn, String amount, boolean excessAsCredit) {

        static final PaymentForm EMPTY = new PaymentForm("", "", "", false);

        /** The latest day the date input offers: today in UTC, since the start of a later day is in the future. */
        public String latestDay() {
            return today();
        }
    }

    /**
     * The record-refund form: empty, or as typed after a refusal.
     *
     * @param reference the operator's reference, e.g. "refund wire 2026-2001"
     * @param refundedOn the day the refund was sent (YYYY-MM-DD, sent as the start of that day in UTC), "" for now
     * @param amount the amount as typed, a decimal of the invoice's currency, "" for all that is owed back
     */
    public record RefundForm(String reference, String refundedOn, String amount) {

        static final RefundForm EMPTY = new RefundForm("", "", "");

        /** The latest day the date input offers: today in UTC. */
        public String latestDay() {
            return today();
        }
    }

    /** What the page's forms hold: empty, or one of them as typed after a refusal. */
    private record Typed(String creditAmount, String creditReason, PaymentForm payment, RefundForm refund) {

        static final Typed NONE = new Typed("", "", PaymentForm.EMPTY, RefundForm.EMPTY);

        static Typed payment(PaymentForm payment) {
            return new Typed("", "", payment, RefundForm.EMPTY);
        }

        static Typed refund(RefundForm refund) {
            return new Typed("", "", PaymentForm.EMPTY, refund);
        }
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final Formats fmt;

    AdminInvoiceResource(CurrentUser user, @RestClient AdminApi api, Formats fmt) {
        this.user = user;
        this.api = api;
        this.fmt = fmt;
    }

    /** The invoice's page; after an action, its notice ({@code done}: one of the keys the actions redirect with). */
    @GET
    @Path("{id}")
    public TemplateInstance invoice(@RestPath String id, @RestQuery String done) {
        user.requirePlatformAdmin();
        Invoice invoice = api.invoice(id);
        return detailPage(invoice, done(done, invoice), Typed.NONE, FormError.NONE);
    }

    /** A draft becomes final (finalizing a finalized invoice changes nothing; a void one is refused). */
    @POST
    @Path("{id}/finalize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response finalizeDraft(@RestPath String id) {
        user.requirePlatformAdmin();
        return act(id, FINALIZE, "finalized", () -> api.finalizeInvoice(id));
    }

    /** A draft is voided (a finalized invoice is refused: it never changes). */
    @POST
    @Path("{id}/void")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response voidDraft(@RestPath String id) {
        user.requirePlatformAdmin();
        return act(id, VOID, "voided", () -> api.voidInvoice(id));
    }

    /**
     * Issues a credit note against a finalized invoice: the amount typed as a decimal of the invoice's currency,
     * converted exactly to micro-units, and the reason. Opens the credit note.
     */
    @POST
    @Path("{id}/credit-notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response creditNote(@RestPath String id, @RestForm String amount, @RestForm String reason) {
        user.requirePlatformAdmin();
        String typed = trim(amount);
        String why = trim(reason);
        Map<String, String> errors = new LinkedHashMap<>();
        Long micros = InvoiceInputs.creditMicros(typed, errors);
        if (why.isEmpty()) {
            errors.put("reason", "say why the invoice is credited");
        } else if (why.length() > MAX_REASON) {
            errors.put("reason", "at most 1,000 characters");
        }
        if (!errors.isEmpty()) {
            FormError error = FormError.invalid(CREDIT, "Check the fields marked below.", errors);
            return error.page(detailPage(api.invoice(id), null, new Typed(typed, why, PaymentForm.EMPTY, RefundForm.EMPTY), error));
        }
        try {
            Invoice note = api.creditNote(id, new CreditNoteRequest(micros, why));
            return Response.seeOther(detailUri(note.id().toString(), "credited")).build();
        } catch (ApiProblem problem) {
            if (escapes(problem) || gone(problem)) {
                throw problem;
            }
            FormError error = refused(problem);
            return error.page(detailPage(api.invoice(id), null, new Typed(typed, why, PaymentForm.EMPTY, RefundForm.EMPTY), error));
        }
    }

    /**
     * Records a payment of a finalized invoice: the reference, the day typed as the start of that day in UTC (none
     * typed: platform-api takes now) and the amount typed as a decimal of the invoice's currency, converted exactly to
     * its minor units (none typed: all that is left to pay). With "keep what exceeds the amount due as the tenant's
     * credit" ticked, {@code "excess_as_credit": true} is sent: an amount above what is left pays the invoice in full
     * and platform-api makes the rest a credit grant of the tenant (unticked, the field is left out and such an amount
     * is refused). Back to the invoice with a notice saying whether it is now paid or how much is left; a refusal (paid
     * already, nothing due, more than is left, a day before the invoice was finalized, a closed tenant that can hold no
     * credit) is shown beside the form with what was typed, the box ticked or not as it was.
     */
    @POST
    @Path("{id}/payment")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response recordPayment(@RestPath String id, @RestForm String reference,
            @RestForm("paid_at") String paidAt, @RestForm String amount,
            @RestForm("excess_as_credit") String excessAsCredit) {
        user.requirePlatformAdmin();
        PaymentForm typed = new PaymentForm(trim(reference), trim(paidAt), trim(amount),
                "true".equals(excessAsCredit));
        Map<String, String> errors = new LinkedHashMap<>();
        InvoiceInputs.reference(typed.reference(), "enter the reference of the payment, e.g. of the bank transfer", errors);
        Instant paid = InvoiceInputs.paidDay(typed.paidOn(), errors);
        // the currency's decimals decide the conversion: the invoice is read only when an amount was typed
        Invoice invoice = typed.amount().isEmpty() ? null : api.invoice(id);
        Long minor = invoice == null ? null : InvoiceInputs.minorUnits(typed.amount(), invoice.currency(), errors);
        if (!errors.isEmpty()) {
            FormError error = FormError.invalid(RECORD_PAYMENT, "Check the fields marked below.", errors);
            return error.page(detailPage(invoice == null ? api.invoice(id) : invoice, null, Typed.payment(typed),
                    error));
        }
        try {
            // never "excess_as_credit": false: unticked, the field is left out
            api.recordPayment(id, new PaymentRequest(typed.reference(), paid, minor,
                    typed.excessAsCredit() ? Boolean.TRUE : null));
            return Response.seeOther(detailUri(id, "paid")).build();
        } catch (ApiProblem problem) {
            if (escapes(problem) || gone(problem)) {
                throw problem;
            }
            FormError error = inConsoleWords(refusedBeside(RECORD_PAYMENT, problem, "paid_at",
                    "payment_exceeds_balance"));
            return error.page(detailPage(api.invoice(id), null, Typed.payment(typed), error));
        }
    }

    /**
     * Records a refund of what the tenant paid beyond what the invoice now asks (a credit note issued after payment):
     * the reference, the day as the start of it in UTC (none: now) and the amount as a decimal of the invoice's
     * currency (none: all that is owed back). Back to the invoice with a notice saying how much is still owed back; a
     * refusal (nothing to refund, more than is owed back, a day platform-api refuses) beside the form.
     */
    @POST
    @Path("{id}/refund")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response recordRefund(@RestPath String id, @RestForm String reference,
            @RestForm("refunded_at") String refundedAt, @RestForm String amount) {
        user.requirePlatformAdmin();
        RefundForm typed = new RefundForm(trim(reference), trim(refundedAt), trim(amount));
        Map<String, String> errors = new LinkedHashMap<>();
        InvoiceInputs.reference(typed.reference(), "enter the reference of the refund, e.g. of the bank transfer", errors);
        Instant refunded = InvoiceInputs.day(typed.refundedOn(), "refunded_at", errors);
        Invoice invoice = typed.amount().isEmpty() ? null : api.invoice(id);
        Long minor = invoice == null ? null : InvoiceInputs.minorUnits(typed.amount(), invoice.currency(), errors);
        if (!errors.isEmpty()) {
            FormError error = FormError.invalid(RECORD_REFUND, "Check the fields marked below.", errors);
            return error.page(detailPage(invoice == null ? api.invoice(id) : invoice, null, Typed.refund(typed),
                    error));
        }
        try {
            api.recordRefund(id, new RefundRequest(typed.reference(), refunded, minor));
            return Response.seeOther(detailUri(id, "refunded")).build();
        } catch (ApiProblem problem) {
            if (escapes(problem) || gone(problem)) {
                throw problem;
            }
            FormError error = refusedBeside(RECORD_REFUND, problem, "refunded_at", "refund_exceeds_balance");
            return error.page(detailPage(api.invoice(id), null, Typed.refund(typed), error));
        }
    }

    /**
     * Removes one entry of the ledger, a payment or a refund recorded by mistake (a transfer that bounced): the invoice
     * then stands as it would without it. {@code kind} (the row's, "payment" or "refund") only words the notice.
     */
    @POST
    @Path("{id}/payments/{entryId}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response removeEntry(@RestPath String id, @RestPath String entryId, @RestForm String kind) {
        user.requirePlatformAdmin();
        return act(id, REMOVE_PAYMENT, "refund".equals(kind) ? "refund-removed" : "payment-removed",
                () -> api.removePaymentEntry(id, entryId));
    }

    /**
     * The notice of a redirected action, null for a key the console does not make; after a payment, a refund or a
     * removal, followed by where the invoice stands now: paid, how much is left to pay, how much is owed back.
     */
    String done(String key, Invoice invoice) {
        String said = key == null ? null : DONE.get(key);
        if (said == null || !(key.equals("paid") || key.equals("refunded") || key.endsWith("-removed"))) {
            return said;
        }
        Invoice.Payment payment = invoice.payment();
        if (payment == null) {
            return said;
        }
        String currency = invoice.currency();
        if (payment.paid()) {
            return said + (key.equals("paid") ? " The invoice is paid; remove the payment if it was recorded by"
                    + " mistake." : key.equals("refunded") ? " Nothing more is owed back: the invoice is paid."
                    : " The invoice is paid.");
        }
        if (payment.due()) {
            return said + " " + fmt.money(payment.amountDue(), currency) + " is left to pay"
                    + (payment.overdue() ? ", overdue since " + fmt.date(payment.dueAt()) : "") + ".";
        }
        if (payment.refundDue()) {
            return said + " " + fmt.money(payment.owedBack(), currency) + (key.equals("refunded") ? " is still owed"
                    + " back to the tenant." : " is owed back to the tenant: record the refund once it is sent.");
        }
        if (payment.nothingDue()) {
            return said + " Nothing is due on the invoice.";
        }
        return said;
    }

    private Response act(String id, String form, String done, Supplier<Invoice> call) {
        try {
            call.get();
            return Response.seeOther(detailUri(id, done)).build();
        } catch (ApiProblem problem) {
            if (escapes(problem) || gone(problem)) {
                throw problem;
            }
            FormError error = FormError.of(form, problem);
            return error.page(detailPage(api.invoice(id), null, Typed.NONE, error));
        }
    }

    private TemplateInstance detailPage(Invoice invoice, String done, Typed typed, FormError error) {
        return Templates.detail(invoice, credits(invoice), done, typed.creditAmount(), typed.creditReason(),
                typed.payment(), typed.refund(), error);
    }

    /** The credit notes of a finalized invoice (its tenant's invoices of its period that correct it). */
    private Credits credits(Invoice invoice) {
        if (!invoice.creditable()) {
            return Credits.NONE;
        }
        try {
            List<Invoice> notes = api.invoices(invoice.tenant(), invoice.period(), null).stream()
                    .filter(i -> i.creditNote() && invoice.id().equals(i.correctsId())).toList();
            long credited = notes.stream().mapToLong(n -> Math.abs(n.totalNanos())).sum();
            return new Credits(notes, invoice.totalNanos() - credited, null);
        } catch (ApiProblem problem) {
            return new Credits(List.of(), 0, problem.shownInstead());
        }
    }

    /** The API's message, with its field errors put beside the credit note's inputs. */
    private static FormError refused(ApiProblem problem) {
        return FormError.beside(CREDIT, problem, Map.of("amount_micros", "amount", "reason", "reason"));
    }

    /**
     * platform-api's refusal of a payment or refund form: its message, its field errors beside the inputs that take
     * them (reference, the day, amount_minor beside the amount); a day it refuses ({@code invalid_paid_at},
     * {@code invalid_refunded_at}: before the invoice was finalized, in the future) beside the date input, and an
     * amount beyond what is left ({@code payment_exceeds_balance}, {@code refund_exceeds_balance}) beside the amount.
     *
     * @param dayField the date input's name, as platform-api names the field (paid_at, refunded_at)
     * @param exceeds the code of an amount beyond the balance
     */
    private static FormError refusedBeside(String form, ApiProblem problem, String dayField, String exceeds) {
        FormError error = FormError.beside(form, problem, Map.of("reference", "reference", dayField, dayField,
                "amount_minor", "amount"));
        String input = ("invalid_" + dayField).equals(problem.code()) ? dayField
                : exceeds.equals(problem.code()) ? "amount" : null;
        if (input == null || error.fields().containsKey(input)) {
            return error;
        }
        Map<String, String> fields = new LinkedHashMap<>(error.fields());
        fields.put(input, problem.message());
        return new FormError(form, error.message(), fields, error.status());
    }

    /**
     * platform-api's {@code payment_exceeds_balance} tells an API client to send {@code "excess_as_credit": true}; on
     * the page that is the checkbox, so its message names the checkbox instead (above the form and beside the amount).
     */
    static FormError inConsoleWords(FormError error) {
        Map<String, String> fields = new LinkedHashMap<>();
        error.fields().forEach((input, message) -> fields.put(input, inConsoleWords(message)));
        return new FormError(error.form(), inConsoleWords(error.message()), fields, error.status());
    }

    private static String inConsoleWords(String message) {
        return message == null ? null : message.replace(API_EXCESS_HINT, CONSOLE_EXCESS_HINT);
    }

    /**
     * Whether the invoice is not there (the not-found page rather than a message beside a form); a ledger entry that
     * is not there ({@code payment_not_found}: removed already) is said beside the form.
     */
    private static boolean gone(ApiProblem problem) {
        return problem.status() == 404 && !"payment_not_found".equals(problem.code());
    }

    /** Whether a problem goes to the error pages rather than beside a form: an expired session, a failed API. */
    private static boolean escapes(ApiProblem problem) {
        return problem.status() == 401 || problem.status() >= 500;
    }

    private static URI detailUri(String id, String done) {
        return UriBuilder.fromPath("/admin/billing/invoices/{id}").queryParam("done", done).build(id);
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
