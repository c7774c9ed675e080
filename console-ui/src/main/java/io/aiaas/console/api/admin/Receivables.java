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
     * totals), credited (their credit notes, negative), paid (recorded payments), outstanding (what unpaid invoices
     * with something due still ask, and how many) and the part of it past its due day (and how many).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Figures(String currency, long invoices, long invoicedMinor, String invoiced, long creditedMinor,
            String credited, long paidMinor, String paid, long outstandingInvoices, long outstandingMinor,
            String outstanding, long overdueInvoices, long overdueMinor, String overdue) {

        /** Whether anything is past its due day: the figure stands out. */
        public boolean anyOverdue() {
            return overdueInvoices > 0 || overdueMinor != 0;
        }
    }
}
