package io.aiaas.platform.billing.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What tenants owe the platform, per currency, over the finalized invoices of one period or of all ({@code period}
 * absent): invoiced (their totals), credited (their credit notes, negative), paid, outstanding (what unpaid invoices
 * with something due still ask) and the overdue part of it, each in minor units with a decimal beside it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceivablesView(String period, List<Currency> currencies) {

    /** One currency's receivables. */
    public record Currency(String currency, long invoices, long invoicedMinor, String invoiced, long creditedMinor,
            String credited, long paidMinor, String paid, long outstandingInvoices, long outstandingMinor,
            String outstanding, long overdueInvoices, long overdueMinor, String overdue) {
    }
}
