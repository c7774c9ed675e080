package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How an invoice was taxed ({@code "tax"} of an invoice, absent when no tax applies): the tenant's treatment
 * ({@code standard}, {@code exempt} or {@code reverse_charge}) and, for a standard one, the rate's name ("VAT"), its
 * percent as a decimal string ("19"), where it applies ("DE", or "US-NY" for a region) and the amount it adds as a
 * decimal of the invoice's currency ("1.90", negative on a credit note); the {@code note} says why an exempt tenant
 * pays none, or that under a reverse charge the customer accounts for the tax. Fields platform-api leaves out are null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceTax(String treatment, String name, String rate, String jurisdiction, String amount,
        String note) {

    public boolean standard() {
        return "standard".equals(treatment);
    }

    public boolean exempt() {
        return "exempt".equals(treatment);
    }

    public boolean reverseCharge() {
        return "reverse_charge".equals(treatment);
    }

    /** The rate in words, as the tax line names it: "VAT 19 % (DE)"; the parts platform-api leaves out are left out. */
    public String label() {
        StringBuilder label = new StringBuilder(name == null || name.isBlank() ? "Tax" : name);
        if (rate != null && !rate.isBlank()) {
            label.append(' ').append(rate).append(" %");
        }
        if (jurisdiction != null && !jurisdiction.isBlank()) {
            label.append(" (").append(jurisdiction).append(')');
        }
        return label.toString();
    }
}
