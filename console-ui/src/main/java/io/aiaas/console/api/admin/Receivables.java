package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What tenants owe the platform ({@code GET /admin/v1/billing/receivables}), per currency, over the finalized invoices
 * of one period or of all ({@code period} null); no currency when nothing was finalized.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Receivables(String period, List<Figures> currencies) {

    public List<Figures> currencies() {
        return currencies == null ? List.of() : currencies;
    }

    /**
     * One currency's figures, each in minor units with platform-api's exact decimal beside it: invoiced (the invoices'
     * totals), credited (their credit notes, negative), paid (payments received, gross), refunded (refunds sent),
     * outstanding (what invoices with something left to pay still ask, and how many), the part of it past its due day
     * (and how many), and refund due (what invoices paid beyond what they now ask are owed back, and how many). They add
     * up: invoiced + credited - paid + refunded = outstanding - refund due.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Figures(String currency, long invoices, long invoicedMinor, String invoiced, long creditedMinor,
            String credited, long paidMinor, String paid, long refundedMinor, String refunded,
            long outstandingInvoices, long outstandingMinor, String outstanding, long overdueInvoices,
            long overdueMinor, String overdue, long refundDueInvoices, long refundDueMinor, String refundDue) {

        /** Whether anything is past its due day: the figure stands out. */
        public boolean anyOverdue() {
            return overdueInvoices > 0 || overdueMinor != 0;
        }

        /** Whether the platform owes any tenant money back: the figure stands out. */
        public boolean anyRefundDue() {
            return refundDueInvoices > 0 || refundDueMinor != 0;
        }
    }
}
