package io.aiaas.platform.billing.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What tenants owe the platform, and it them, per currency, over the finalized invoices of one period or of all
 * ({@code period} absent): invoiced (their totals), credited (their credit notes, negative), paid (payments
 * received), refunded (refunds sent), outstanding (what invoices with something left to pay still ask), the overdue
 * part of it, and refund due (what invoices paid beyond what is now due are owed back), each in minor units with a
 * decimal beside it. They add up: invoiced + credited - paid + refunded = outstanding - refund due.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceivablesView(String period, List<Currency> currencies) {

    /** One currency's receivables. */
    public record Currency(String currency, long invoices, long invoicedMinor, String invoiced, long creditedMinor,
            String credited, long paidMinor, String paid, long refundedMinor, String refunded,
            long outstandingInvoices, long outstandingMinor, String outstanding, long overdueInvoices,
            long overdueMinor, String overdue, long refundDueInvoices, long refundDueMinor, String refundDue) {
    }
}
