package io.aiaas.platform.billing.invoice.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aiaas.platform.billing.payment.service.PaymentView;
import io.aiaas.platform.billing.profile.service.BillingParty;
import io.aiaas.platform.billing.tax.service.TaxView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An invoice or credit note with its lines. Amounts are exact nano-units (1e-9 of the currency) with a decimal
 * string beside each; {@code total_minor} is the total rounded once (half to even) to the currency's minor units,
 * and {@code total} is that rounded amount as a decimal. The upcoming preview has no id, number or dates.
 *
 * @param period the billing period, e.g. {@code 2026-11}: a calendar month in the tenant's time zone
 * @param kind {@code INVOICE} or {@code CREDIT_NOTE}
 * @param state {@code DRAFT}, {@code FINALIZED} or {@code VOID} ({@code PREVIEW} for the upcoming invoice)
 * @param correctsId the invoice a credit note corrects
 * @param billTo who it is addressed to: the tenant's billing profile as it was when it was created; absent when
 *     it had none (the preview shows the profile now)
 * @param issuer the platform's details ({@code aiaas.billing.issuer.*}) as they were when it was created
 * @param payment whether a finalized invoice is paid; absent on drafts, void invoices, credit notes and previews
 * @param taxNanos the tax counted in the total (0 without one); a credit note's is negative
 * @param tax the tax that applied (absent: none, for want of a billing country or a rate for it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvoiceView(UUID id, String number, String tenant, String period, String kind, String state,
        String currency, UUID planId, Instant periodStart, Instant periodEnd, long usageNanos,
        long adjustmentNanos, long feeNanos, long creditNanos, long totalNanos, long totalMinor, String total,
        UUID correctsId, String reason, Instant createdAt, Instant finalizedAt, Instant voidedAt,
        BillingParty billTo, BillingParty issuer, PaymentView payment, long taxNanos, TaxView tax,
        List<InvoiceLineView> lines) {
}
